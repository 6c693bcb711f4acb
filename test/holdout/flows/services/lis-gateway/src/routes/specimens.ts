import type { FastifyInstance } from 'fastify';
import type { SpecimenStatus } from '@northgate/domain';
import { db } from '../db';

export default async function specimenRoutes(fastify: FastifyInstance) {
  // ok: unauthenticated-route
  fastify.get('/:barcode', { onRequest: [fastify.authenticate] }, async (request) => db.specimens.find(request.params.barcode));

  // ok: unauthenticated-route
  fastify.post('/:barcode/receive', { preHandler: fastify.auth([fastify.verifyServiceToken, fastify.authenticate]) }, async (request) => {
    const status: SpecimenStatus = await db.specimens.receive(request.params.barcode);
    // ok: health-data-in-logs
    fastify.log.info({ status }, 'specimen received');
    return status;
  });

  // Courier tracking page polls this one
  // ruleid: unauthenticated-route
  fastify.get('/:barcode/tracking', async (request) => {
    const s = await db.specimens.find(request.params.barcode);
    return { status: s.status, patient: `${s.patient.givenName} ${s.patient.familyName}`, tests: s.requestedTests };
  });
}
