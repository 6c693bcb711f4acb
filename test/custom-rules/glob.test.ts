import { describe, expect, it } from 'vitest';
import { globProblem, nameMatcher, pathMatcher } from '../../server/src/engine/custom/glob.js';

describe('globs of team rules', () => {
  it.each([
    ['src/dal/**', 'src/dal/patients.ts', true],
    ['src/dal/**', 'src/dal/deep/x.ts', true],
    ['src/dal/**', 'src/dalx/a.ts', false],
    ['src/dal/**', 'src/other/a.ts', false],
    ['**/*.sql', 'a.sql', true],
    ['**/*.sql', 'db/m/1.sql', true],
    ['/api/internal/**', '/api/internal', true],
    ['/api/internal/**', '/api/internal/users/1', true],
    ['/api/internal/**', '/api/internalx', false],
    ['/api/*/admin', '/api/v1/admin', true],
    ['/api/*/admin', '/api/v1/x/admin', false],
    ['src/{dal,repo}/*.ts', 'src/repo/a.ts', true],
  ])('%s on %s -> %s', (glob, path, expected) => {
    expect(pathMatcher([glob])(path)).toBe(expected);
  });

  it.each([
    ['anapath_*', 'anapath_conclusion', true],
    ['anapath_*', 'ANAPATH_X', true],
    ['anapath_*', 'my_anapath_x', false],
    ['kafkaProducer.send', 'kafkaProducer.send', true],
    ['kafkaProducer.send', 'kafkaProducerXsend', false],
    ['*.sendORU', 'hl7Client.sendORU', true],
  ])('name %s on %s -> %s', (glob, name, expected) => {
    expect(nameMatcher([glob])(name)).toBe(expected);
  });

  it.each([
    ['', 'empty pattern'],
    ['src/[ab', 'unclosed "[" at character 5'],
    ['src/{a,b', 'unclosed "{"'],
    ['src/a}', 'unmatched "}" at character 6'],
    ['src/***', '"***" is not a glob (expected * or **)'],
    ['src/**/*.ts', undefined],
  ])('problem of %j', (glob, problem) => {
    expect(globProblem(glob)).toBe(problem);
  });
});
