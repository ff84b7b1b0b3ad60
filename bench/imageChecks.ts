// checkImage (header first, bounded decode only once the size is in range)
// versus the naive check: decode every pixel with sharp's defaults, then look
// at the size. Each (input, variant) pair runs in a fresh worker process, one
// at a time, so peak RSS belongs to that pair alone.
import type { Benchmark } from './benchmark.js';
import type { ImageCheckVariant } from './imageCheckProtocol.js';
import { imageInputs, warmUpImage, ZLIB_BOMB_SIDE_PX } from './imageInputs.js';
import { median, p95 } from './stats.js';
import { formatRatio, renderTable, type Cell } from './table.js';
import { runInWorker, type TimedRunsReport } from './timedRuns.js';

const MIN_RUNS = 3;
const MAX_RUNS = 300;
const BUDGET_MS_PER_PAIR = 1_000;
const WORKER_TIMEOUT_MS = 30_000;
const WORKER = new URL('./imageCheckWorker.js', import.meta.url);
const VARIANT_LABELS: Record<ImageCheckVariant, string> = {
  checkImage: 'checkImage',
  decodeThenCheck: 'baseline: full decode',
};

const megabytes = (bytes: number) => bytes / 1_000_000;

/** "3.2× faster" or "6.5× slower": checkImage measured against the baseline. */
function comparison(baselineMs: number, checkImageMs: number): string {
  return baselineMs >= checkImageMs
    ? `${formatRatio(baselineMs / checkImageMs)} faster`
    : `${formatRatio(checkImageMs / baselineMs)} slower`;
}

export const imageChecks: Benchmark = {
  title: 'Image checks: checkImage vs decode-everything-then-check (sharp, one worker process per row)',
  async run(print) {
    const inputs = await imageInputs();
    const warmUpBytes = await warmUpImage();
    const rows: Cell[][] = [];
    const verdicts: string[] = [];
    for (const input of inputs) {
      const reports = new Map<ImageCheckVariant, TimedRunsReport>();
      for (const variant of ['checkImage', 'decodeThenCheck'] as const) {
        const task = { variant, bytes: input.bytes, warmUpBytes, minRuns: MIN_RUNS, maxRuns: MAX_RUNS, budgetMs: BUDGET_MS_PER_PAIR };
        reports.set(variant, await runInWorker(WORKER, task, WORKER_TIMEOUT_MS));
      }
      const checkMedianMs = median(reports.get('checkImage')!.timesMs);
      for (const [variant, report] of reports) {
        const medianMs = median(report.timesMs);
        rows.push([
          variant === 'checkImage' ? input.name : '',
          variant === 'checkImage' ? input.bytes.length : '',
          VARIANT_LABELS[variant],
          report.outcome,
          report.timesMs.length,
          medianMs,
          p95(report.timesMs),
          1000 / medianMs,
          megabytes(report.peakRssDeltaBytes),
          variant === 'checkImage' ? '' : comparison(medianMs, checkMedianMs),
        ]);
      }
      const baseline = reports.get('decodeThenCheck')!;
      verdicts.push(`${input.name} ${comparison(median(baseline.timesMs), checkMedianMs)}`);
    }

    renderTable(
      [
        { header: 'input' },
        { header: 'file bytes' },
        { header: 'variant' },
        { header: 'outcome' },
        { header: 'runs' },
        { header: 'median ms', decimals: 2 },
        { header: 'p95 ms', decimals: 2 },
        { header: 'ops/s', decimals: 0 },
        { header: 'peak RSS Δ MB', decimals: 0 },
        { header: 'checkImage vs baseline' },
      ],
      rows,
    ).forEach((line) => print(line));

    print(
      `Runs: at least ${MIN_RUNS}, then until ${BUDGET_MS_PER_PAIR} ms per row, after one untimed warm-up on a small PNG; ` +
        'sharp cache off; p95 with fewer than 20 runs is the slowest run. Peak RSS Δ: the process peak minus RSS before the runs.',
    );
    print(
      `The 100k² header bomb is 10 Gpx, which sharp's default limit refuses from the header too; the ${ZLIB_BOMB_SIDE_PX / 1000}k² ` +
        "zlib bomb holds real pixels just under that limit, so only checkImage's own size check stops it before decoding.",
    );
    print(`Verdict (median time, checkImage vs baseline): ${verdicts.join(' · ')}.`);
  },
};
