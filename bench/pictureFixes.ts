// What fixing a picture costs (fitPicture: flatten, scale, rotate, convert,
// recompress) next to only checking it (checkImage), on the same bytes. Each
// (input, variant) pair runs in a fresh worker process, one at a time, so
// peak RSS belongs to that pair alone.
import type { Benchmark } from './benchmark.js';
import { warmUpImage } from './imageInputs.js';
import { CAPPED_BOMB_SIDE_PX, pictureFixInputs } from './pictureFixInputs.js';
import type { PictureFixVariant } from './pictureFixProtocol.js';
import { median, p95 } from './stats.js';
import { formatRatio, renderTable, type Cell } from './table.js';
import { runInWorker, type TimedRunsReport } from './timedRuns.js';

const MIN_RUNS = 3;
const MAX_RUNS = 100;
const BUDGET_MS_PER_PAIR = 1_000;
const WORKER_TIMEOUT_MS = 120_000;
const WORKER = new URL('./pictureFixWorker.js', import.meta.url);
const VARIANTS: readonly PictureFixVariant[] = ['checkImage', 'fitPicture'];

const megabytes = (bytes: number) => bytes / 1_000_000;

export const pictureFixes: Benchmark = {
  title: 'Picture fixes: fitPicture vs checkImage alone (sharp, one worker process per row)',
  async run(print) {
    const inputs = await pictureFixInputs();
    const warmUpBytes = await warmUpImage();
    const rows: Cell[][] = [];
    const verdicts: string[] = [];
    for (const input of inputs) {
      const reports = new Map<PictureFixVariant, TimedRunsReport>();
      for (const variant of VARIANTS) {
        const task = { variant, bytes: input.bytes, warmUpBytes, minRuns: MIN_RUNS, maxRuns: MAX_RUNS, budgetMs: BUDGET_MS_PER_PAIR };
        reports.set(variant, await runInWorker(WORKER, task, WORKER_TIMEOUT_MS));
      }
      const check = reports.get('checkImage')!;
      const fit = reports.get('fitPicture')!;
      // A ratio means something only when both did the same job: the check accepted the picture as it is.
      const checkAccepted = check.outcome.startsWith('accepted');
      const ratio = checkAccepted ? `${formatRatio(median(fit.timesMs) / median(check.timesMs))} the check` : '';
      for (const [variant, report] of reports) {
        rows.push([
          variant === 'checkImage' ? input.name : '',
          variant === 'checkImage' ? megabytes(input.bytes.length) : '',
          variant,
          report.outcome,
          report.timesMs.length,
          median(report.timesMs),
          p95(report.timesMs),
          megabytes(report.peakRssDeltaBytes),
          variant === 'fitPicture' ? ratio : '',
        ]);
      }
      verdicts.push(`${input.name} ${Math.round(median(fit.timesMs)).toLocaleString('en-US')} ms`);
    }

    renderTable(
      [
        { header: 'input' },
        { header: 'file MB', decimals: 1 },
        { header: 'variant' },
        { header: 'outcome' },
        { header: 'runs' },
        { header: 'median ms', decimals: 1 },
        { header: 'p95 ms', decimals: 1 },
        { header: 'peak RSS Δ MB', decimals: 0 },
        { header: 'fitPicture vs check' },
      ],
      rows,
    ).forEach((line) => print(line));

    print(
      `Runs: at least ${MIN_RUNS}, then until ${BUDGET_MS_PER_PAIR} ms per row, after one untimed warm-up on a small PNG; ` +
        'sharp cache off; p95 with fewer than 20 runs is the slowest run. Peak RSS Δ: the process peak minus RSS before the runs. ' +
        "fitPicture's time includes checkImage on its own output.",
    );
    print(
      `The ${CAPPED_BOMB_SIDE_PX}² zlib bomb declares exactly fitPicture's pixel limit, so it is decoded (scaled down) rather than refused: ` +
        'the worst a hostile upload can cost. The 100k² header bomb is refused from its header.',
    );
    print(`Verdict (fitPicture median): ${verdicts.join(' · ')}.`);
  },
};
