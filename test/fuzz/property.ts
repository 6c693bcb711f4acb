import { expect } from 'vitest';
import { Project, type AnalysisResult, type EngineConfig, type SourceInput } from '../../server/src/engine/index.js';

/** The property every input must satisfy: analysis returns, and every finding lies inside its file. */
export function analysisHolds(config: EngineConfig, files: SourceInput[]): void {
  checkedAnalysis(config, files);
}

/** The analysis of `files`, checked against the property. */
export function checkedAnalysis(config: EngineConfig, files: SourceInput[]): AnalysisResult {
  const project = new Project(config);
  for (const file of files) project.setFile(file);
  const result = project.analyzeAll();
  const texts = new Map(files.map((f) => [f.path, f.text]));
  for (const finding of result.findings) {
    const text = texts.get(finding.file);
    expect(text, `finding in unknown file ${finding.file}`).toBeDefined();
    expect(finding.range.start).toBeGreaterThanOrEqual(0);
    expect(finding.range.end).toBeGreaterThanOrEqual(finding.range.start);
    expect(finding.range.end).toBeLessThanOrEqual(text!.length);
    for (const fix of finding.fixes ?? []) {
      for (const edit of fix.edits) {
        expect(edit.start).toBeGreaterThanOrEqual(0);
        expect(edit.end).toBeLessThanOrEqual(text!.length);
      }
    }
  }
  for (const note of result.notes) expect(note.kind, note.message).not.toBe('detector-error');
  return result;
}
