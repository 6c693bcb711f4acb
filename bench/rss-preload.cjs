// Preloaded with `node -r` into every measured child: at exit, writes the process's peak resident
// set size and CPU time to $GDPR_BENCH_USAGE_FILE (main thread only; worker threads share the process).
'use strict';
const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const out = process.env.GDPR_BENCH_USAGE_FILE;
if (out && isMainThread) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    try {
      writeFileSync(out, JSON.stringify({ maxRssKb: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
    } catch {
      // the measure then reports no memory figure
    }
  });
}
