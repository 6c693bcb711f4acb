import { describe, expect, it } from 'vitest';
import { codeRegex } from '../../server/src/engine/linear-regex.js';
import { findingsOf } from '../helpers.js';

describe('patterns written in the code under analysis never run on a backtracking engine', () => {
  it('an express-jwt unless path that backtracks exponentially is decided in linear time', () => {
    const path = `/${'a'.repeat(40)}`;
    const code = [
      "import express from 'express';",
      "import { expressjwt } from 'express-jwt';",
      'const app = express();',
      "app.use(expressjwt({ secret: process.env.S!, algorithms: ['HS256'] }).unless({ path: [/^\\/(a+)+$/] }));",
      `app.get('${path}b', async (req, res) => res.json(await db.patients.findMany()));`,
      '',
    ].join('\n');
    // Finishing is the bound: with a backtracking engine this takes minutes.
    expect(findingsOf('unauthenticated-route', { 'app.ts': code })).toEqual([]);
  });

  it('a mount pattern or a RegExp built from a string is decided the same way', () => {
    const code = [
      "import express from 'express';",
      'const app = express();',
      "app.use(new RegExp('^/(x+x+)+y$'), requireAuth);",
      `app.get('/${'x'.repeat(40)}', async (req, res) => res.json(await db.patients.findMany()));`,
      '',
    ].join('\n');
    expect(findingsOf('unauthenticated-route', { 'app.ts': code }).length).toBeLessThanOrEqual(1);
  });

  it('the negative lookahead of a Next.js matcher is read, not executed', () => {
    const matcher = codeRegex('^/((?!api|_next/static|_next/image|favicon.ico).*)$')!;
    expect(matcher.test('/patients/1')).toBe(true);
    expect(matcher.test('/api/patients')).toBe(false);
    expect(matcher.test('/_next/static/chunk.js')).toBe(false);
    // As the Next.js route model writes a matcher: `^` + the pattern + an optional slash.
    const written = codeRegex('^/((?!api|_next/static|favicon.ico).*)/?$')!;
    expect(written.test('/dashboard')).toBe(true);
    expect(written.test('/api/results/1')).toBe(false);
    expect(codeRegex('^/(?<=a)b')).toBeUndefined();
  });
});
