import Hapi from '@hapi/hapi';
import Cookie from '@hapi/cookie';
import { resultsPlugin } from './plugins/results';
import { db } from './db';

export async function start() {
  const server = Hapi.server({ port: 3400, host: '0.0.0.0' });
  await server.register(Cookie);

  server.auth.strategy('session', 'cookie', {
    cookie: { name: 'ng-sid', password: process.env.COOKIE_PASSWORD!, isSecure: true },
    validate: async (request, session: { id: string }) => {
      const user = await db.users.findById(session.id);
      return { isValid: Boolean(user), credentials: user };
    },
  });
  server.auth.default('session');

  server.route({
    method: 'GET',
    // ok: unauthenticated-route
    path: '/healthz',
    options: { auth: false },
    handler: () => 'ok',
  });

  server.route({
    method: 'GET',
    // Analyser QC dashboard for the wall screen in the core lab
    // ruleid: unauthenticated-route
    path: '/qc/today',
    options: { auth: false },
    handler: () => db.qc.today(),
  });

  await server.register({ plugin: resultsPlugin, options: { readOnly: false } }, { routes: { prefix: '/v2' } });
  await server.start();
}
