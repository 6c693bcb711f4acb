import type { Plugin } from '@hapi/hapi';
import { db } from '../db';

/** Results plugin of the analyser gateway. */
export const resultsPlugin: Plugin<{ readOnly: boolean }> = {
  name: 'northgate-results',
  version: '2.3.0',
  register: async (server, options) => {
    server.route([
      {
        method: 'GET',
        // ok: unauthenticated-route
        path: '/results/{id}',
        handler: (request) => db.results.findById(request.params.id),
      },
      {
        method: 'GET',
        // Printed by the ward label printers, which cannot log in
        // ruleid: unauthenticated-route
        path: '/results/{id}/label',
        options: {
          auth: false,
          handler: async (request) => {
            const r = await db.results.findById(request.params.id);
            return `${r.patientName}|${r.analyteName}|${r.value} ${r.units}`;
          },
        },
      },
      {
        method: 'POST',
        // ok: unauthenticated-route
        path: '/results/{id}/verify',
        options: { auth: { strategy: 'session', scope: ['biomedical-scientist'] } },
        handler: (request) => db.results.verify(request.params.id, request.auth.credentials.id),
      },
      {
        method: 'GET',
        // any: unauthenticated-route
        path: '/results/{id}/preview',
        options: { auth: { mode: 'optional' } },
        handler: (request) => db.results.preview(request.params.id, request.auth.isAuthenticated),
      },
    ]);
    if (!options.readOnly) {
      server.route({
        method: 'DELETE',
        // ok: unauthenticated-route
        path: '/results/{id}',
        handler: (request) => db.results.remove(request.params.id),
      });
    }
  },
};
