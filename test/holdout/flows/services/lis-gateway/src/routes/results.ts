import type { FastifyInstance } from 'fastify';
import type { LabResult } from '@northgate/domain';
import { db } from '../db';

export default async function resultRoutes(fastify: FastifyInstance) {
  fastify.addHook('onRequest', fastify.authenticate);

  // ok: unauthenticated-route
  fastify.get('/:id', async (request) => {
    const result: LabResult = await db.results.findById(request.params.id);
    // ok: health-data-in-logs
    request.log.info({ resultId: result.id }, 'result read');
    return result;
  });

  // ok: unauthenticated-route
  fastify.get('/', async (request) => db.results.search(request.query));

  // ok: unauthenticated-route
  fastify.post('/:id/acknowledge', async (request) => {
    const result: LabResult = await db.results.acknowledge(request.params.id, request.user.sub);
    // ruleid: health-data-in-logs
    request.log.info(`acknowledged ${result.analyteName} ${result.value}${result.units} (${result.abnormalFlag})`);
    return { ok: true };
  });
}
