// `npm run bench`: runs every registered benchmark in order and prints its
// table and verdict. Each one measures its own baseline in the same run.
import { cpus } from 'node:os';
import { acknowledgementLoad } from './acknowledgementLoad.js';
import type { Benchmark } from './benchmark.js';
import { completionToVideo } from './completionToVideo.js';
import { deliveryLatency } from './deliveryLatency.js';
import { imageChecks } from './imageChecks.js';
import { jobsWaiting } from './jobsWaiting.js';
import { pictureFixes } from './pictureFixes.js';
import { recoveryAfterKill } from './recoveryAfterKill.js';
import { videoFit } from './videoFit.js';

// ─── Registered benchmarks ───────────────────────────────────────────────────
// Add new benchmarks to this list (import them above); they run in this order.
// Reservation throughput (the quota part) belongs here once it exists.
const benchmarks: Benchmark[] = [
  deliveryLatency,
  imageChecks,
  pictureFixes,
  videoFit,
  acknowledgementLoad,
  completionToVideo,
  jobsWaiting,
  recoveryAfterKill,
];
// ─────────────────────────────────────────────────────────────────────────────

const print = (line: string) => process.stdout.write(`${line}\n`);
// `npm run bench -- picture` (or `npx tsx bench/run.ts picture`) runs only the benchmarks whose title contains the word.
const only = process.argv[2]?.toLowerCase();
const selected = only === undefined ? benchmarks : benchmarks.filter((benchmark) => benchmark.title.toLowerCase().includes(only));

const startedAt = performance.now();
print(`animate-bot benchmarks · Node ${process.version} · ${cpus().length} CPU (${cpus()[0]?.model.trim() ?? 'unknown'}) · ${new Date().toISOString()}`);
let failed = 0;
for (const benchmark of selected) {
  print('');
  print(`== ${benchmark.title}`);
  const benchmarkStartedAt = performance.now();
  try {
    await benchmark.run(print);
    print(`(${((performance.now() - benchmarkStartedAt) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed += 1;
    print(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
print('');
print(`${selected.length - failed}/${selected.length} benchmarks finished in ${((performance.now() - startedAt) / 1000).toFixed(1)} s.`);
process.exitCode = failed > 0 ? 1 : 0;
