import { initTRPC, TRPCError } from '@trpc/server';
import { auth } from '@clerk/nextjs/server';

export async function createContext() {
  const { userId } = await auth();
  return { userId };
}

const t = initTRPC.context<typeof createContext>().create();

export const router = t.router;
export const publicProcedure = t.procedure;
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.userId) throw new TRPCError({ code: 'UNAUTHORIZED' });
  return next({ ctx: { userId: ctx.userId } });
});
