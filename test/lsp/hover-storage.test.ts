import type { MarkupContent } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { Project } from '../../server/src/engine/index.js';
import { hover } from '../../server/src/lsp/hover.js';
import { testConfig } from '../helpers.js';

/** The hover text at the first occurrence of `at` in `path` (offset inside the word). */
function hoverText(files: Record<string, string>, path: string, at: string): string | undefined {
  const project = new Project(testConfig());
  for (const [p, text] of Object.entries(files)) project.setFile({ path: p, text });
  project.refreshFacts();
  const text = files[path]!;
  const result = hover({
    config: project.config,
    language: 'sql',
    text,
    offset: text.indexOf(at) + 1,
    analysis: undefined,
    view: project.file(path),
    facts: project.facts,
    path,
  });
  return result ? (result.contents as MarkupContent).value : undefined;
}

describe('hover on a declared column: whom the rows are about, where the column is decided', () => {
  const files = {
    'db/migrations/V1.sql':
      'CREATE TABLE patients (id UUID PRIMARY KEY, family_name TEXT);\nCREATE TABLE visits (id UUID, patient_id UUID REFERENCES patients (id), diagnosis TEXT);\nCREATE TABLE allergy (id INT, name TEXT, description TEXT);',
    'db/migrations/V2.sql': 'ALTER TABLE visits DROP COLUMN diagnosis;\nALTER TABLE visits ADD COLUMN diagnosis TEXT;',
  };

  it('names the link used', () => {
    expect(hoverText(files, 'db/migrations/V2.sql', 'diagnosis TEXT')).toContain(
      'Rows of `visits`: each row is about the person in patient_id.',
    );
  });

  it('says when a column is not where its storage is decided now', () => {
    expect(hoverText(files, 'db/migrations/V1.sql', 'diagnosis')).toContain(
      'Not where this column is decided now: an older definition: a later migration defines it now (db/migrations/V2.sql).',
    );
  });

  it('says when no link to a person was found', () => {
    expect(hoverText(files, 'db/migrations/V1.sql', 'description')).toContain('no link to a person was found');
  });
});
