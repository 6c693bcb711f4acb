import Fastify from 'fastify';
import cors from '@fastify/cors';
import authPlugin from './plugins/auth';
import resultRoutes from './routes/results';
import specimenRoutes from './routes/specimens';
import kioskRoutes from './routes/kiosk';
import { db } from './db';

const app = Fastify({ logger: { level: 'info', redact: ['req.headers.authorization'] } });

await app.register(cors);
await app.register(authPlugin);

// ok: unauthenticated-route
app.get('/health', async () => ({ ok: true }));

await app.register(resultRoutes, { prefix: '/v1/results' });
await app.register(specimenRoutes, { prefix: '/v1/specimens' });
// mount of the kiosk plugin, which has no auth hook (the positives are its routes)
// any: unauthenticated-route
await app.register(kioskRoutes, { prefix: '/kiosk' });

await app.register(async (clinician) => {
  clinician.addHook('onRequest', clinician.authenticate);

  // ok: unauthenticated-route
  clinician.get('/v1/me/worklist', async (request) => db.worklist.forUser(request.user.sub));

  // ok: unauthenticated-route
  clinician.post('/v1/reports/:id/authorise', async (request) => db.reports.authorise(request.params.id, request.user.sub));
});

// Outside the clinician scope above: the hook does not apply here
// ruleid: unauthenticated-route
app.get('/v1/reports/:id/pdf', async (request, reply) => {
  reply.type('application/pdf');
  return db.reports.pdf(request.params.id);
});

app.route({
  method: 'GET',
  // ok: unauthenticated-route
  url: '/v1/patients/:id',
  onRequest: [app.authenticate],
  handler: async (request) => db.patients.findById(request.params.id),
});

app.route({
  method: 'GET',
  // ruleid: unauthenticated-route
  url: '/v1/patients/:id/timeline',
  handler: async (request) => db.patients.timeline(request.params.id),
});

await app.listen({ port: 3200, host: '0.0.0.0' });
