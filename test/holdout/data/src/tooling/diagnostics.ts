// Build tooling for the monorepo: type-check report, health-check probe, spec runner report.
import * as ts from 'typescript';
import { writeFileSync, appendFileSync } from 'node:fs';

export interface Diagnostic {
  file: string;
  line: number;
  code: number;
  message: string;
}

export function collectDiagnostics(program: ts.Program): Diagnostic[] {
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file?.fileName ?? '<global>',
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    code: d.code,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

export function writeDiagnosticsReport(diagnostics: Diagnostic[], reportPath: string): void {
  // ok: plaintext-health-data
  writeFileSync(reportPath, JSON.stringify({ diagnostics, count: diagnostics.length }, null, 2));
}

export async function healthCheck(url: string): Promise<{ healthy: boolean; latencyMs: number }> {
  const started = Date.now();
  const response = await fetch(`${url}/health`);
  const healthCheckResult = { healthy: response.ok, latencyMs: Date.now() - started };
  // ok: plaintext-health-data
  appendFileSync('/var/log/northgate/healthcheck.jsonl', `${JSON.stringify(healthCheckResult)}\n`);
  return healthCheckResult;
}

interface TestResult {
  name: string;
  passed: boolean;
  durationMs: number;
  error?: string;
}

/** Minimal spec runner used by the analyser-driver package. */
export async function runSpecs(specs: Array<{ name: string; fn: () => Promise<void> }>, junitPath: string): Promise<TestResult[]> {
  const testResults: TestResult[] = [];
  for (const spec of specs) {
    const t0 = Date.now();
    try {
      await spec.fn();
      testResults.push({ name: spec.name, passed: true, durationMs: Date.now() - t0 });
    } catch (error) {
      testResults.push({ name: spec.name, passed: false, durationMs: Date.now() - t0, error: String(error) });
    }
  }
  const xml = testResults.map((testResult) => `<testcase name="${testResult.name}" time="${testResult.durationMs / 1000}"/>`).join('');
  // ok: plaintext-health-data
  writeFileSync(junitPath, `<testsuite tests="${testResults.length}">${xml}</testsuite>`);
  // ok: plaintext-health-data
  localStorage.setItem('lastTestResult', JSON.stringify(testResults.at(-1)));
  return testResults;
}

export function rememberReport(reportUrl: string, resultCount: number): void {
  // ok: plaintext-health-data
  sessionStorage.setItem('reportUrl', reportUrl);
  // ok: plaintext-health-data
  document.cookie = `resultCount=${resultCount}; path=/`;
}
