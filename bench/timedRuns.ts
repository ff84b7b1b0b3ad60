// Timed runs of one (input, variant) pair in a fresh worker process, one pair
// at a time, so the peak RSS a report gives belongs to that pair alone. The
// parent sends a TimedRunsTask with runInWorker; the worker module calls
// serveTimedRuns with its variants, answers a TimedRunsReport and exits.
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserFacingError } from '../src/errors.js';

export interface TimedRunsTask<Variant extends string = string> {
  variant: Variant;
  bytes: Uint8Array;
  warmUpBytes: Uint8Array;
  minRuns: number;
  maxRuns: number;
  /** Stop starting new runs after this much time (once minRuns are done). */
  budgetMs: number;
}

export interface TimedRunsReport {
  /** What the variant concluded, e.g. "accepted 1920×1080" or "threw: …". The same for every run. */
  outcome: string;
  timesMs: number[];
  /** Highest RSS during the runs minus RSS before them. */
  peakRssDeltaBytes: number;
}

/** One variant: reads the bytes and says what it concluded. */
export type TimedVariant = (bytes: Buffer) => Promise<string>;

/** Parent side: runs `task` in a fresh process started from `workerUrl` (a module that calls serveTimedRuns). */
export function runInWorker(workerUrl: URL, task: TimedRunsTask, timeoutMs: number): Promise<TimedRunsReport> {
  const worker = fork(fileURLToPath(workerUrl), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise<TimedRunsReport>((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.kill();
      reject(new Error(`worker (${task.variant}) took over ${timeoutMs} ms`));
    }, timeoutMs);
    let report: TimedRunsReport | undefined;
    worker.once('message', (message: TimedRunsReport) => (report = message));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      clearTimeout(timer);
      if (report) resolve(report);
      else reject(new Error(`worker (${task.variant}) exited with code ${code} and no report`));
    });
    worker.send(task);
  });
}

async function outcomeOf(variant: TimedVariant, bytes: Buffer): Promise<string> {
  try {
    return await variant(bytes);
  } catch (error) {
    if (error instanceof UserFacingError) return `rejected: ${error.memberMessage.split(';')[0]}`;
    return `threw: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Linux keeps a process's peak RSS across exec, so getrusage's maxRSS in a
 * fresh worker starts at the parent's peak (the parent holds every input).
 * /proc/self/status's VmHWM is the worker's own, and writing 5 to clear_refs
 * resets it (Linux ≥ 4.0); elsewhere, maxRSS is the best there is.
 */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed: peakRssBytes falls back to maxRSS.
  }
}

function peakRssBytes(): number {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1];
    if (kib !== undefined) return Number(kib) * 1024;
  } catch {
    // Fall through.
  }
  // maxRSS is in KiB.
  return process.resourceUsage().maxRSS * 1024;
}

async function runTask(variants: Readonly<Record<string, TimedVariant>>, task: TimedRunsTask): Promise<TimedRunsReport> {
  const variant = variants[task.variant];
  if (variant === undefined) throw new Error(`unknown variant ${task.variant}`);
  const bytes = asBuffer(task.bytes);
  await outcomeOf(variant, asBuffer(task.warmUpBytes));
  resetPeakRss();
  const rssBefore = process.memoryUsage().rss;
  const timesMs: number[] = [];
  let outcome = '';
  const startedAt = performance.now();
  while (timesMs.length < task.maxRuns && (timesMs.length < task.minRuns || performance.now() - startedAt < task.budgetMs)) {
    const runStartedAt = performance.now();
    outcome = await outcomeOf(variant, bytes);
    timesMs.push(performance.now() - runStartedAt);
  }
  // The peak covers the process's life since the reset, which is why each pair gets a fresh process.
  const peakRssDeltaBytes = Math.max(0, peakRssBytes() - rssBefore);
  return { outcome, timesMs, peakRssDeltaBytes };
}

/** Worker side: waits for one task, runs the variant it names, answers and exits. */
export function serveTimedRuns(variants: Readonly<Record<string, TimedVariant>>): void {
  process.once('message', (task: TimedRunsTask) => {
    runTask(variants, task).then(
      (report) => process.send?.(report, () => process.exit(0)),
      (error: unknown) => {
        process.stderr.write(`worker failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}
