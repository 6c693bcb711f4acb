import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';
import { routeLines } from './routes-helpers.js';

/** tRPC set-up in the usual shape: a public base, a base that requires a signed-in user, a role base on top. */
const TRPC = `import { initTRPC, TRPCError } from '@trpc/server';
const t = initTRPC.context<{ user?: { id: string; role: string } }>().create();
export const router = t.router;
export const openProcedure = t.procedure;
const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED' });
  return next({ ctx: { user: ctx.user } });
});
export const memberProcedure = t.procedure.use(signedIn);
export const nurseProcedure = memberProcedure.use(({ ctx, next }) => next());
`;

const WARDS = `import { z } from 'zod';
import { router, openProcedure, memberProcedure, nurseProcedure } from '../trpc';
export const wardsRouter = router({
  board: openProcedure.query(() => db.wards.findMany({ select: { name: true } })),
  admissions: openProcedure.input(z.object({ ward: z.string() })).query(({ input }) => db.admissions.findMany({ where: { ward: input.ward }, include: { patient: true } })),
  discharge: memberProcedure.input(z.string()).mutation(({ input }) => db.admissions.delete({ where: { id: input } })),
  handover: nurseProcedure.query(({ ctx }) => db.notes.findMany({ where: { nurse: ctx.user.id } })),
});
`;

const ADAPTER = `import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '../../../../server/root';
const handler = (req: Request) => fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: () => ({}) });
export { handler as GET, handler as POST };
`;

const FILES = {
  'src/server/trpc.ts': TRPC,
  'src/server/routers/wards.ts': WARDS,
  'src/server/routers/legacy.ts':
    "import { router, openProcedure } from '../trpc';\nexport const legacyRouter = router({ dump: openProcedure.query(() => db.patients.findMany()) });\n",
  'src/server/root.ts':
    "import { router } from './trpc';\nimport { wardsRouter } from './routers/wards';\nexport const appRouter = router({ wards: wardsRouter });\n",
  'src/app/api/trpc/[trpc]/route.ts': ADAPTER,
};

describe('tRPC: each procedure is a route, judged by its base procedure and its middleware', () => {
  it('public procedures are open, member and role procedures are authenticated, a router nothing serves is not a route', () => {
    expect(routeLines(FILES)).toEqual([
      'GET /trpc/dump unmounted',
      'GET /api/trpc/wards.board unauthenticated',
      'GET /api/trpc/wards.admissions unauthenticated',
      'POST /api/trpc/wards.discharge authenticated',
      'GET /api/trpc/wards.handover authenticated',
    ]);
  });

  it('reports the open procedures on their key, not the adapter route that serves them', () => {
    const findings = findingsOf('unauthenticated-route', FILES);
    expect(findings.map((f) => [f.file, covered(FILES[f.file as keyof typeof FILES], f)])).toEqual([
      ['src/server/routers/wards.ts', 'board'],
      ['src/server/routers/wards.ts', 'admissions'],
    ]);
  });

  it('a base procedure imported from a package it cannot follow is judged by its name, or left undecided', () => {
    const files = {
      'src/server/routers/wards.ts':
        "import { router, protectedProcedure, baseProcedure } from '@acme/trpc-kit';\nexport const appRouter = router({ mine: protectedProcedure.query(() => db.notes.findMany()), all: baseProcedure.query(() => db.notes.findMany()) });\n",
    };
    expect(routeLines(files)).toEqual(['GET /trpc/mine authenticated', 'GET /trpc/all unverified']);
  });
});

describe('tRPC: public by design, by the same rules as paths', () => {
  it('a probe procedure and a procedure answering a constant list are not reported', () => {
    const files = {
      'src/server/trpc.ts': TRPC,
      'src/server/root.ts': `import { router, openProcedure } from './trpc';
const LANGUAGES = ['en', 'fr'];
export const appRouter = router({
  health: router({ healthCheck: openProcedure.query(async () => { await db.ping(); return { ok: true }; }) }),
  languages: openProcedure.query(() => LANGUAGES),
  admissions: openProcedure.query(() => db.admissions.findMany()),
});`,
      'src/app/api/trpc/[trpc]/route.ts': ADAPTER,
    };
    expect(findingsOf('unauthenticated-route', files).map((f) => f.data!['path'])).toEqual(['/api/trpc/admissions']);
  });
});

describe("tRPC: answers that are no one else's records", () => {
  it("the caller's own session, and totals, are not reported; a list of patients is", () => {
    const files = {
      'src/server/trpc.ts': TRPC,
      'src/server/root.ts': `import { router, openProcedure } from './trpc';
export const appRouter = router({
  session: openProcedure.query(({ ctx }) => { const session = ctx.session; return { session: session || null, user: session?.user || null }; }),
  stats: openProcedure.query(async () => ({ patients: await db.patient.count(), overdueVaccines: await db.immunization.count({ where: { overdue: true } }) })),
  patients: openProcedure.query(() => db.patient.findMany()),
});`,
      'src/app/api/trpc/[trpc]/route.ts': ADAPTER,
    };
    expect(findingsOf('unauthenticated-route', files).map((f) => f.data!['path'])).toEqual(['/api/trpc/patients']);
  });
});

describe('GraphQL servers: authentication per resolver cannot be verified', () => {
  it('a Next.js route and an Express route serving GraphQL are notes, not open routes', () => {
    const files = {
      'app/api/graphql/route.ts':
        "import { ApolloServer } from '@apollo/server';\nimport { startServerAndCreateNextHandler } from '@as-integrations/next';\nimport { typeDefs, resolvers } from '../../../graphql/schema';\nconst server = new ApolloServer({ typeDefs, resolvers });\nconst handler = startServerAndCreateNextHandler(server);\nexport { handler as GET, handler as POST };",
      'src/server.ts':
        "import express from 'express';\nimport { graphqlHTTP } from 'express-graphql';\nimport { schema } from './schema';\nconst app = express();\napp.post('/graphql', graphqlHTTP({ schema }));",
    };
    expect(routeLines(files)).toEqual([
      'GET /api/graphql unverified',
      'POST /api/graphql unverified',
      'POST /graphql unverified',
    ]);
    expect(findingsOf('unauthenticated-route', files).map((f) => f.severity)).toEqual(['note', 'note', 'note']);
  });
});
