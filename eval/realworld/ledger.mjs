// The real-world evaluation's data: manifest, judged ledger, known instances, and how findings match them.
// Pure functions over text, so the committed files are checked by `npm test` without the repositories.
import { createHash } from 'node:crypto';

export const VERDICTS = ['TP', 'FP'];
export const MANIFEST_COLUMNS = ['repo', 'commit', 'kind', 'frameworks', 'orm', 'language'];
export const LEDGER_COLUMNS = ['rule', 'repo', 'file', 'line', 'column', 'hash', 'verdict', 'reason'];
export const KNOWN_COLUMNS = ['rule', 'repo', 'file', 'line', 'hash', 'what'];

/** A flagged line's identity that survives line shifts: whitespace-insensitive, 12 hex digits. */
export function lineHash(lineText) {
  return createHash('sha256').update(lineText.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 12);
}

/** The checkout folder of `owner/name` under a corpus directory (as shared/realworld/extract.sh names it). */
export function checkoutName(repo) {
  return repo.replace('/', '__');
}

/** Parses a TSV with a header row; throws with the line number on a malformed row. */
export function parseTsv(text, columns, source) {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.split('\t') ?? [];
  if (header.join('\t') !== columns.join('\t')) {
    throw new Error(`${source}:1: header must be ${columns.join(' | ')}`);
  }
  const rows = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const cells = line.split('\t');
    if (cells.length !== columns.length) {
      throw new Error(`${source}:${i + 2}: expected ${columns.length} tab-separated cells, found ${cells.length}`);
    }
    const row = Object.fromEntries(columns.map((c, k) => [c, cells[k]]));
    row.source = `${source}:${i + 2}`;
    rows.push(row);
  });
  return rows;
}

export function formatTsv(rows, columns) {
  const clean = (v) => String(v ?? '').replace(/[\t\r\n]+/g, ' ');
  return [columns.join('\t'), ...rows.map((r) => columns.map((c) => clean(r[c])).join('\t'))].join('\n') + '\n';
}

/** Problems of a ledger or known-instances file that would make its numbers wrong. */
export function validateRows(rows, { rules, repos, kind }) {
  const problems = [];
  const seen = new Map();
  for (const row of rows) {
    const at = row.source;
    if (!rules.has(row.rule)) problems.push(`${at}: unknown rule ${row.rule}`);
    if (!repos.has(row.repo)) problems.push(`${at}: repository ${row.repo} is not in the manifest`);
    if (!/^[1-9]\d*$/.test(row.line)) problems.push(`${at}: line must be a positive integer`);
    if (!/^[0-9a-f]{12}$/.test(row.hash))
      problems.push(`${at}: hash must be 12 hex digits (lineHash of the flagged line)`);
    if (row.file === '' || row.file.startsWith('/') || row.file.includes('\\'))
      problems.push(`${at}: file must be relative with forward slashes`);
    if (kind === 'ledger') {
      if (!VERDICTS.includes(row.verdict)) problems.push(`${at}: verdict must be TP or FP`);
      if (!/^[1-9]\d*$/.test(row.column)) problems.push(`${at}: column must be a positive integer`);
      if ((row.reason ?? '').trim().length < 8) problems.push(`${at}: a verdict needs a one-line reason`);
    } else if ((row.what ?? '').trim().length < 8) problems.push(`${at}: say what the instance is`);
    const key = `${row.rule}\0${row.repo}\0${row.file}\0${row.line}\0${row.column ?? ''}`;
    if (seen.has(key)) problems.push(`${at}: same location as ${seen.get(key)}`);
    seen.set(key, at);
  }
  return problems;
}

/**
 * Pairs findings with rows (ledger or known instances) of the same rule, repository, file and
 * line hash; among several candidates the nearest by line then column wins, one to one.
 * Returns Map(finding -> row).
 */
export function matchRows(findings, rows) {
  const byKey = new Map();
  for (const row of rows) {
    const key = `${row.rule}\0${row.repo}\0${row.file}\0${row.hash}`;
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key).push(row);
  }
  const pairs = [];
  for (const finding of findings) {
    for (const row of byKey.get(`${finding.rule}\0${finding.repo}\0${finding.file}\0${finding.hash}`) ?? []) {
      const distance =
        Math.abs(Number(row.line) - finding.line) * 1000 +
        Math.abs(Number(row.column ?? finding.column) - finding.column);
      pairs.push({ finding, row, distance });
    }
  }
  pairs.sort((a, b) => a.distance - b.distance);
  const matched = new Map();
  const used = new Set();
  for (const { finding, row } of pairs) {
    if (matched.has(finding) || used.has(row)) continue;
    matched.set(finding, row);
    used.add(row);
  }
  return matched;
}

/** How far above an instance's line a finding covering it may start and still stand for it. */
const MAX_LEAD = 5;

/**
 * The known instances a scan finds: a finding with the instance's line hash (as for the ledger),
 * or one whose range covers the instance's line (a call reported where it starts, the instance
 * named at the option inside it). `lineOfHash(row)` gives the row's line in the checkout today
 * (where its hash is now); without it the row's own line is taken.
 */
export function matchKnown(findings, known, lineOfHash = (row) => Number(row.line)) {
  const found = new Set(matchRows(findings, known).values());
  for (const row of known) {
    if (found.has(row)) continue;
    const line = lineOfHash(row);
    if (line === undefined) continue;
    const covers = (f) =>
      f.rule === row.rule &&
      f.repo === row.repo &&
      f.file === row.file &&
      f.line <= line &&
      line <= (f.endLine ?? f.line) &&
      line - f.line <= MAX_LEAD;
    if (findings.some(covers)) found.add(row);
  }
  return found;
}

/** Per rule: findings, judged, TP, FP, precision on judged findings, known instances found. */
export function summarise(findings, ledger, known, ruleIds, lineOfHash) {
  const judged = matchRows(findings, ledger);
  const foundRows = matchKnown(findings, known, lineOfHash);
  const judgedRows = new Set(judged.values());
  return ruleIds.map((rule) => {
    const mine = findings.filter((f) => f.rule === rule);
    const verdicts = mine.map((f) => judged.get(f)?.verdict).filter(Boolean);
    const tp = verdicts.filter((v) => v === 'TP').length;
    const fp = verdicts.length - tp;
    const knownRows = known.filter((k) => k.rule === rule);
    const lostTp = ledger.filter((r) => r.rule === rule && r.verdict === 'TP' && !judgedRows.has(r)).length;
    return {
      rule,
      findings: mine.length,
      judged: verdicts.length,
      tp,
      fp,
      precision: verdicts.length > 0 ? tp / verdicts.length : undefined,
      known: knownRows.length,
      knownFound: knownRows.filter((k) => foundRows.has(k)).length,
      lostTp,
    };
  });
}

/** mulberry32: a small seeded generator, so a sample is the same for the same seed. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform sample of `n` items (Fisher-Yates, partial), in the order drawn. */
export function sample(items, n, random) {
  const pool = [...items];
  const count = Math.min(n, pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}
