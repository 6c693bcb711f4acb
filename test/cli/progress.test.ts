import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../server/src/cli/progress.js';

function terminal(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _e, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & {
    isTTY: boolean;
    text: () => string;
    columns: number;
    cursorTo: () => boolean;
    clearLine: () => boolean;
  };
  stream.isTTY = isTTY;
  stream.columns = 120;
  stream.cursorTo = () => true;
  stream.clearLine = () => true;
  stream.text = () => text;
  return stream;
}

/** Simulates a scan: the clock says `elapsed` ms have passed by the time files are analysed. */
function run(isTTY: boolean, elapsed: number, env: NodeJS.ProcessEnv = {}): string {
  let clock = 0;
  const stream = terminal(isTTY);
  const bar = progressBar(stream, env, () => clock);
  bar.update('reading', 0, 0);
  clock = elapsed;
  for (let i = 1; i <= 40; i++) bar.update('analysing', i, 40);
  bar.stop();
  return stream.text();
}

describe('progress bar', () => {
  it('shows phase and files done/total on a terminal once a scan runs over a second', () => {
    expect(run(true, 1500)).toMatch(/gdpr-lint analysing\s+\[[^\]]*\] 40\/40 files/);
  });

  it('stays silent for short scans, pipes and CI logs', () => {
    expect(run(true, 200)).toBe('');
    expect(run(false, 5000)).toBe('');
    expect(run(true, 5000, { CI: 'true' })).toBe('');
  });
});
