import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifierFor, Project } from '../../server/src/engine/index.js';
import { knowledgeOf } from '../../server/src/engine/knowledge.js';
import { REPO_ROOT, testConfig } from '../helpers.js';

describe('one knowledge object per configuration', () => {
  it('every caller gets the same knowledge, and the project facts hold it', () => {
    const config = testConfig();
    const project = new Project(config);
    project.setFile({
      path: 'src/a.ts',
      text: 'export function f(patient: { diagnostic: string }) { console.log(patient.diagnostic); }\n',
    });
    project.analyzeAll();
    const held = project.facts.knowledge();
    expect(held).toBe(knowledgeOf(config));
    // What the analysis derived from the configuration is there, built once.
    expect(held.built()).toContain('classifier');
    expect(classifierFor(config)).toBe(classifierFor(config));
  });

  it('an edited configuration is a new object with its own knowledge: nothing derived from the old one is read', () => {
    const before = testConfig();
    const after = testConfig({ vocabulary: { add: { 'lab-result': ['zorglub'] } } });
    expect(knowledgeOf(after)).not.toBe(knowledgeOf(before));
    expect(classifierFor(before).classify('zorglub')).toBeUndefined();
    expect(classifierFor(after).classify('zorglub')?.category).toBe('lab-result');
  });

  it('the engine keeps no module-level cache keyed by a configuration outside engine/knowledge.ts', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    // A module-level map keyed by EngineConfig, or looked up with a configuration.
    const offenders = walk(join(REPO_ROOT, 'server/src/engine'))
      .filter((file) => !file.endsWith('knowledge.ts'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const maps = [...text.matchAll(/^const (\w+) = new (?:Weak)?Map<(\w+)/gm)];
        return maps
          .filter(
            ([, name, key]) =>
              key === 'EngineConfig' || new RegExp(`\\b${name}\\.get\\((?:(?:ctx|context)\\.)?config\\)`).test(text),
          )
          .map(([, name]) => `${file.slice(REPO_ROOT.length + 1)}: ${name}`);
      });
    expect(offenders).toEqual([]);
  });
});
