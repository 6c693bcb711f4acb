import type { FastifyInstance } from 'fastify';
import { db } from '../db';

/** Self check-in kiosk in the phlebotomy waiting room. */
export default async function kioskRoutes(fastify: FastifyInstance) {
  // ok: unauthenticated-route
  fastify.get('/ping', async () => 'pong');

  // ruleid: unauthenticated-route
  fastify.post('/checkin', async (request) => {
    const { nhsNumber, dateOfBirth } = request.body as { nhsNumber: string; dateOfBirth: string };
    const appointment = await db.appointments.todayFor(nhsNumber, dateOfBirth);
    return { ticket: appointment.ticket, tests: appointment.tests, fasting: appointment.fastingRequired };
  });

  // ruleid: unauthenticated-route
  fastify.get('/queue', async () => db.appointments.queue());
}
