// lspEdit: a real LSP stdio session (`gdpr-lint lsp --stdio`) on a workspace. Initializes with the
// workspace folder and debounce 0, waits for the initial scan, opens one file, then applies edits
// one at a time and times each `didChange` to the `publishDiagnostics` carrying that version.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const rpc = createRequire(import.meta.url)('vscode-jsonrpc/node');

const STATUS = 'gdprLint/status';

/** A line inserted into a function body: logs a lab value, so a finding appears and then goes away. */
const HEALTH_LOG = "    logger.info({ glycemie: row.glycemie, diagnostic: row.diagnostic }, 'resultat lu');";

/**
 * The edits: at `// step` anchors (the generated 1,000-line file), insert a statement that logs a
 * lab value and remove it again, and type into a string literal and undo it; in any other file,
 * append a comment to a line and remove it, and type a letter into a string literal and remove it.
 * Each edit is one incremental change.
 */
export function planEdits(text, count) {
  const lines = text.split('\n');
  const anchors = lines.flatMap((l, i) => (l.trim() === '// step' ? [i] : []));
  const literals = lines.flatMap((l, i) => (/'etape [a-z]+ terminee'/.test(l) ? [i] : []));
  /** Other files: single-quoted words in code lines (`'active'`, `'/medications'`; not imports), at their first letter. */
  const strings = lines.flatMap((l, i) => {
    const m = /^\s*(?!\/\/|\*|import\b|export .* from)[^'`"]*'([A-Za-z/][\w/-]*)'/.exec(l);
    if (/\brequire\(/.test(l)) return [];
    return m ? [{ line: i, column: m.index + m[0].length - m[1].length - 1 }] : [];
  });
  const edits = [];
  for (let i = 0; edits.length < count; i++) {
    if (anchors.length > 0 && literals.length > 0) {
      const at = anchors[i % anchors.length] + 1;
      edits.push({ range: pos(at, 0, at, 0), text: `${HEALTH_LOG}\n` });
      edits.push({ range: pos(at, 0, at + 1, 0), text: '' });
      const line = literals[(i * 7) % literals.length];
      const col = lines[line].indexOf(" terminee'") + ' terminee'.length;
      edits.push({ range: pos(line, col, line, col), text: '!' });
      edits.push({ range: pos(line, col, line, col + 1), text: '' });
    } else {
      const line = (i * 37) % lines.length;
      const end = lines[line].length;
      const comment = ` // edit ${i}`;
      edits.push({ range: pos(line, end, line, end), text: comment });
      edits.push({ range: pos(line, end, line, end + comment.length), text: '' });
      // A real change of the syntax tree too: a letter typed into a string literal, then removed.
      if (strings.length > 0) {
        const at = strings[(i * 13) % strings.length];
        edits.push({ range: pos(at.line, at.column, at.line, at.column), text: 'x' });
        edits.push({ range: pos(at.line, at.column, at.line, at.column + 1), text: '' });
      }
    }
  }
  return edits.slice(0, count);
}

function pos(l1, c1, l2, c2) {
  return { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Runs the session. `cli` is the bundled CLI, `env` its environment, `root` the workspace
 * folder, `file` the absolute path of the edited file.
 */
export async function lspEdit({
  cli,
  env,
  root,
  file,
  edits: count = 200,
  timeoutMs = 10_000,
  scanTimeoutMs = 240_000,
  nodeArgs = [],
  rssEvery = 0,
}) {
  const child = spawn(process.execPath, [...nodeArgs, cli, 'lsp', '--stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin),
  );
  const uri = pathToFileURL(file).href;
  const waiting = new Map();
  let lastStatus;
  let statusWaiter;
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    if (params.uri !== uri || typeof params.version !== 'number') return;
    for (const [version, resolve] of waiting) {
      if (params.version >= version) {
        waiting.delete(version);
        resolve(params.diagnostics.length);
      }
    }
  });
  connection.onNotification(STATUS, (params) => {
    lastStatus = params;
    statusWaiter?.(params);
  });
  connection.onNotification(() => undefined);
  connection.onRequest(() => null);
  connection.listen();

  const diagnosticsFor = (version) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(version);
        reject(new Error(`no diagnostics for version ${version} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(version, (n) => {
        clearTimeout(timer);
        resolve(n);
      });
    });

  try {
    const started = performance.now();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'bench' }],
      capabilities: {
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } },
        workspace: { workspaceFolders: true },
      },
      initializationOptions: { settings: { debounceMs: 0, run: 'onType', codeLens: false } },
    });
    // The initial scan is over at the first `ready` after an `analysing`, once the server stays quiet.
    const scanned = new Promise((resolve, reject) => {
      let analysing = false;
      let quiet;
      const timer = setTimeout(
        () => reject(new Error(`initial scan not finished within ${scanTimeoutMs} ms`)),
        scanTimeoutMs,
      );
      statusWaiter = (s) => {
        clearTimeout(quiet);
        if (s.state === 'analysing') analysing = true;
        else if (analysing)
          quiet = setTimeout(() => {
            clearTimeout(timer);
            statusWaiter = undefined;
            resolve();
          }, 300);
      };
    });
    await connection.sendNotification('initialized', {});
    await scanned;
    const scanStatus = lastStatus;
    const initialScanMs = performance.now() - started - 300;

    const text = readFileSync(file, 'utf8');
    const plan = planEdits(text, count);
    const opened = diagnosticsFor(1);
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: /\.tsx?$/.test(file) ? 'typescript' : 'javascript', version: 1, text },
    });
    const openDiagnostics = await opened;
    const latencies = [];
    const diagnosticCounts = [];
    const rssMb = [];
    for (let i = 0; i < plan.length; i++) {
      if (rssEvery > 0 && i % rssEvery === 0) rssMb.push(residentMb(child.pid));
      const version = i + 2;
      const answered = diagnosticsFor(version);
      const t0 = performance.now();
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [plan[i]],
      });
      diagnosticCounts.push(await answered);
      latencies.push(performance.now() - t0);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      edits: latencies.length,
      lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0),
      findingsAfterScan: scanStatus?.findings,
      initialScanMs: Math.round(initialScanMs),
      openDiagnostics,
      diagnosticsRange: [Math.min(...diagnosticCounts), Math.max(...diagnosticCounts)],
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      maxMs: round(sorted[sorted.length - 1]),
      meanMs: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
      ...(rssEvery > 0 ? { rssMb: [...rssMb, residentMb(child.pid)] } : {}),
    };
  } catch (error) {
    error.message += stderr ? `\n(server stderr) ${stderr.trim().split('\n').slice(-5).join('\n')}` : '';
    throw error;
  } finally {
    try {
      await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await connection.sendNotification('exit');
    } catch {
      // the server may already be gone
    }
    setTimeout(() => child.kill(), 1000).unref();
    connection.dispose();
  }
}

/** The server's resident memory now, in MB (Linux /proc). */
function residentMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : null;
}

function round(n) {
  return n === null || n === undefined ? null : Math.round(n * 10) / 10;
}
