import { describe, expect, it } from 'vitest';
import { authKnowledge, publicReason } from '../../server/src/engine/routes/knowledge.js';
import { testConfig } from '../helpers.js';

const knowledge = authKnowledge(testConfig());
const reason = (path: string, method = 'POST') => publicReason(path, knowledge, method);

describe('public by design, narrowly: leaf routes named for sign-in, sign-up, OTP, reset, callbacks, probes', () => {
  it.each([
    ['/api/auth/login', 'sign-in'],
    ['/users/authenticate', 'sign-in'],
    ['/v2/sessions', 'sign-in'],
    ['/auth/refresh-token', 'sign-in'],
    ['/account/signUp', 'sign-up'],
    ['/patients/register', 'sign-up'],
    ['/users/create', 'sign-up'],
    ['/accounts/create', 'sign-up'],
    ['/create-account', 'sign-up'],
    ['/otp/verify', 'one-time passwords'],
    ['/users/verify-register-otp', 'sign-up'],
    ['/sms/send-otp', 'one-time passwords'],
    ['/users/request-update-password-otp', 'one-time passwords'],
    ['/resetPassword', 'password reset'],
    ['/auth/RESET_PASSWORD', 'password reset'],
    ['/auth/resetpassword', 'password reset'],
    ['/auth/confirmresetpassword/:resetkey', 'password reset'],
    ['/forgot-password', 'password reset'],
    ['/oauth/google/callback', 'OAuth and SSO callbacks'],
    ['/api/auth/[...nextauth]', 'sign-in handlers of an authentication library'],
    ['*', 'catch-all fallback'],
    ['/{*splat}', 'catch-all fallback'],
    ['/(.*)', 'catch-all fallback'],
  ])('%s is public (%s)', (path, why) => {
    expect(reason(path)).toBe(why);
  });

  it.each([
    ['/api/health', 'GET', 'health checks'],
    ['/api/v1/healthz', 'GET', 'health checks'],
    ['/sync/status', 'GET', 'health checks'],
    ['/version', 'GET', 'health checks'],
    ['/sante', 'GET', 'health checks'],
    ['/api/timesync', 'POST', 'time synchronisation'],
    ['/api/server-time', 'GET', 'time synchronisation'],
  ])('probe %s %s', (path, method, why) => {
    expect(reason(path, method)).toBe(why);
  });

  it.each([
    ['/auth/users', 'GET'],
    ['/auth/me', 'GET'],
    ['/public/patients/:id', 'GET'],
    ['/public/results', 'GET'],
    ['/otp', 'GET'],
    ['/otp/:id', 'DELETE'],
    ['/sessions', 'GET'],
    ['/patients/:id/status', 'GET'],
    ['/patients/:id/health', 'GET'],
    ['/sync/:sessionId/ready', 'GET'],
    ['/api/*', 'GET'],
    ['/users/update-password', 'PUT'],
    ['/users/:id', 'GET'],
    ['/health-insurance-card/check', 'POST'],
    ['/users/create', 'GET'],
    ['/patients/create', 'POST'],
    ['/users/:id/create', 'POST'],
    ['/appointments/:id/time', 'GET'],
    ['/shifts/time-sheet', 'GET'],
  ])('%s (%s) is not public', (path, method) => {
    expect(reason(path, method)).toBeUndefined();
  });
});

describe('public by design: discovery and service descriptions', () => {
  it.each([
    ['/api/.well-known/openid-configuration', 'discovery documents'],
    ['/fhir/R4/.well-known/smart-configuration', 'discovery documents'],
    ['/api/robots.txt', 'static assets'],
    ['/fhir/R4/metadata', 'service descriptions'],
    ['/api/openapi.json', 'service descriptions'],
    ['/fhir/R4/$versions', 'service descriptions'],
  ])('%s (%s)', (path, why) => {
    expect(publicReason(path, knowledge, 'GET')).toBe(why);
  });

  it('a record named like a description is not one', () => {
    expect(publicReason('/patients/:id/metadata', knowledge, 'GET')).toBeUndefined();
  });
});

describe('public by design through constants', () => {
  it('an OAuth callback whose path is a constant is a callback; a records route through a constant is a route', async () => {
    const { routeRows } = await import('./routes-helpers.js');
    const rows = routeRows({
      'src/paths.ts': "export const OAUTH = { callback: '/oauth/google/callback' };\nexport const API = '/api';",
      'src/app.ts': `import express from 'express';
import { OAUTH, API } from './paths';
const app = express();
app.get(OAUTH.callback, (req, res) => res.redirect('/'));
app.get(\`\${API}/visits\`, (req, res) => res.json(db.visits()));`,
    });
    expect(rows.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /oauth/google/callback unauthenticated',
      'GET /api/visits unauthenticated',
    ]);
    const { findingsOf } = await import('../helpers.js');
    expect(
      findingsOf('unauthenticated-route', {
        'src/paths.ts': "export const OAUTH = { callback: '/oauth/google/callback' };\nexport const API = '/api';",
        'src/app.ts': `import express from 'express';\nimport { OAUTH, API } from './paths';\nconst app = express();\napp.get(OAUTH.callback, (req, res) => res.redirect(db.next()));\napp.get(\`\${API}/visits\`, (req, res) => res.json(db.visits()));`,
      }).map((f) => f.data!['path']),
    ).toEqual(['/api/visits']);
  });
});
