import { z } from 'zod';
import { protectedProcedure, publicProcedure, router } from './trpc';
import { db } from '../lib/db';

export const appRouter = router({
  // ok: unauthenticated-route
  ping: publicProcedure.query(() => 'pong'),

  // ruleid: unauthenticated-route
  resultByAccession: publicProcedure.input(z.string()).query(({ input }) => db.labResult.findMany({ where: { accessionNumber: input } })),

  // ruleid: unauthenticated-route
  vaccinationHistory: publicProcedure.input(z.object({ nhsNumber: z.string() })).query(({ input }) => db.immunisation.findMany({ where: { patient: { nhsNumber: input.nhsNumber } } })),

  // ok: unauthenticated-route
  myResults: protectedProcedure.query(({ ctx }) => db.labResult.findMany({ where: { patient: { clerkId: ctx.userId } } })),

  // ok: unauthenticated-route
  bookAppointment: protectedProcedure.input(z.object({ slotId: z.string() })).mutation(({ ctx, input }) => db.appointment.create({ data: { slotId: input.slotId, patient: { connect: { clerkId: ctx.userId } } } })),
});

export type AppRouter = typeof appRouter;
