// How long a finished video waits before it reaches Discord, with the bot's
// throttled progress edits versus editing on every poll. Discord allows about
// 5 edits per 5 s per interaction token and discord.js queues the rest, so an
// eager bot makes its final edit wait behind stale progress (PROTOCOLS.md §3).
// The real bot (discord.js + @fal-ai/client) runs against the loopback fakes.
import { parseConfig } from '../src/config/config.js';
import { step, type FalScript } from '../test/fakes/fakeFal.js';
import { animate, FAKE_DISCORD_TOKEN, FAKE_FAL_KEY, startHarness, type Harness } from '../test/support/harness.js';
import { makeImage } from '../test/support/images.js';
import type { Benchmark } from './benchmark.js';
import { median, p95, sum } from './stats.js';
import { formatRatio, renderTable, type Cell } from './table.js';

const POLL_INTERVAL_MS = 50;
const QUEUE_POSITIONS = [5, 4, 3, 2, 1, 0];
/**
 * One job per run, each variant gets the same ones. At ~55 ms per status step
 * these last ~3, ~5 and ~6.5 s: past the 4 s edit interval, so the throttle has
 * to act, and staggered by about a third of Discord's 5 s edit window. An eager
 * bot's final edit waits for the window's next reset, so its delay depends on
 * where in the window fal finishes; one fixed job length would always hit the
 * same spot and report either a lucky or an unlucky figure.
 */
const RUNNING_LOG_LINES_PER_RUN = [50, 80, 110];
const RUNS_PER_VARIANT = RUNNING_LOG_LINES_PER_RUN.length;
/** Untimed first job per bot, so JIT warm-up and first connections stay out of the figures. */
const WARM_UP_SCRIPT: FalScript = [step.queued(0), step.running('warming up'), step.completes()];
const JOB_TIMEOUT_MS = 30_000;

interface Variant {
  label: string;
  progressEditIntervalMs: number;
}

interface RunResult {
  /** From the status poll that saw COMPLETED to the Discord edit carrying the video. */
  doneToVideoMs: number;
  /** From fal's result call to the same edit. */
  resultToVideoMs: number;
  /** From the member's command to the same edit. */
  jobWallMs: number;
  progressEdits: number;
  /** Progress edits Discord accepted after fal had finished: each one stood between the member and the video. */
  editsAfterDone: number;
  rateLimited: number;
}

/** What the bot uses when PROGRESS_EDIT_INTERVAL_MS is unset, read from the config schema itself. */
function defaultProgressEditIntervalMs(): number {
  return parseConfig({
    DISCORD_TOKEN: FAKE_DISCORD_TOKEN,
    DISCORD_APPLICATION_ID: '100000000000000001',
    FAL_KEY: FAKE_FAL_KEY,
  }).progressEditIntervalMs;
}

function jobScript(logLines: number): FalScript {
  return [
    ...QUEUE_POSITIONS.map(step.queued),
    ...Array.from({ length: logLines }, (_, index) => step.running(`Generating frames ${index + 1}/${logLines}`)),
    step.completes(),
  ];
}

async function startBot(variant: Variant): Promise<Harness> {
  return startHarness({
    logLevel: 'info',
    env: {
      POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
      PROGRESS_EDIT_INTERVAL_MS: String(variant.progressEditIntervalMs),
    },
  });
}

async function runJob(harness: Harness, image: Buffer): Promise<RunResult> {
  const submitsBefore = harness.fal.submits.length;
  const startedAt = Date.now();
  const handle = await animate(harness, { image });
  const video = await handle.waitForEvent((event) => event.files.length > 0, JOB_TIMEOUT_MS);

  const requestId = harness.fal.submits[submitsBefore]?.requestId;
  if (requestId === undefined) throw new Error('bench: the job was never submitted to fal');
  const ofJob = harness.fal.calls.filter((call) => call.path.includes(requestId));
  const doneAt = harness.fal.callsTo('status').find((call) => ofJob.includes(call) && call.status === 200)?.at;
  const resultAt = harness.fal.callsTo('result').find((call) => ofJob.includes(call))?.at;
  if (doneAt === undefined || resultAt === undefined) throw new Error('bench: no COMPLETED status or result call seen');

  const progressEdits = handle.events().filter((event) => event.kind === 'edit' && event.files.length === 0);
  return {
    doneToVideoMs: video.at - doneAt,
    resultToVideoMs: video.at - resultAt,
    jobWallMs: video.at - startedAt,
    progressEdits: progressEdits.length,
    editsAfterDone: progressEdits.filter((event) => event.at >= doneAt).length,
    rateLimited: harness.discord.calls.filter((call) => call.path.includes(handle.token) && call.status === 429).length,
  };
}

export const deliveryLatency: Benchmark = {
  title: `Delivery latency: fal finished → video in Discord (real bot, loopback fakes, poll ${POLL_INTERVAL_MS} ms)`,
  async run(print) {
    const variants: Variant[] = [
      { label: 'throttled (bot default)', progressEditIntervalMs: defaultProgressEditIntervalMs() },
      { label: 'baseline: edit every poll', progressEditIntervalMs: 1 },
    ];
    const image = await makeImage(640, 480, 'png');
    const bots = await Promise.all(variants.map(startBot));
    const results: RunResult[][] = variants.map(() => []);
    try {
      await Promise.all(
        bots.map(async (bot) => {
          bot.fal.scriptNext(WARM_UP_SCRIPT);
          await runJob(bot, image);
        }),
      );
      // Interleaved, so drift on a busy machine hits both variants alike.
      for (const logLines of RUNNING_LOG_LINES_PER_RUN) {
        for (const [index, bot] of bots.entries()) {
          bot.fal.scriptNext(jobScript(logLines));
          results[index]!.push(await runJob(bot, image));
        }
      }
    } finally {
      await Promise.all(bots.map((bot) => bot.close()));
    }

    const rows: Cell[][] = variants.map((variant, index) => {
      const runs = results[index]!;
      const pick = (key: keyof RunResult) => runs.map((run) => run[key]);
      return [
        variant.label,
        variant.progressEditIntervalMs,
        runs.length,
        median(pick('doneToVideoMs')),
        p95(pick('doneToVideoMs')),
        median(pick('resultToVideoMs')),
        median(pick('jobWallMs')),
        p95(pick('jobWallMs')),
        sum(pick('progressEdits')) / runs.length,
        sum(pick('editsAfterDone')) / runs.length,
        sum(pick('rateLimited')),
      ];
    });
    const lines = renderTable(
      [
        { header: 'variant' },
        { header: 'edit interval ms' },
        { header: 'runs' },
        { header: 'done→video median ms' },
        { header: 'done→video p95 ms' },
        { header: 'result→video median ms' },
        { header: 'job wall median ms' },
        { header: 'job wall p95 ms' },
        { header: 'progress edits/job', decimals: 1 },
        { header: 'edits after done/job', decimals: 1 },
        { header: '429s' },
      ],
      rows,
    );
    lines.forEach((line) => print(line));

    const steps = RUNNING_LOG_LINES_PER_RUN.map((logLines) => QUEUE_POSITIONS.length + logLines).join(' / ');
    print(
      `Jobs: ${steps} fal status steps (${QUEUE_POSITIONS.length} queue positions, then one log line per poll), ` +
        `one of each per variant (${RUNS_PER_VARIANT} runs) after one warm-up job; p95 of ${RUNS_PER_VARIANT} runs is the slowest run.`,
    );
    print(
      'The fake Discord allows 5 edits per 5 s per token, like Discord; the baseline is the same bot with ' +
        'PROGRESS_EDIT_INTERVAL_MS=1 (still one edit in flight at a time, stale ones dropped).',
    );
    const medianOf = (runs: RunResult[], key: keyof RunResult) => median(runs.map((run) => run[key]));
    const [throttled, baseline] = results as [RunResult[], RunResult[]];
    const throttledMs = medianOf(throttled, 'doneToVideoMs');
    const baselineMs = medianOf(baseline, 'doneToVideoMs');
    print(
      `Verdict: with throttled edits the video reaches Discord ${Math.round(throttledMs)} ms after fal finished (median), ` +
        `editing on every poll ${Math.round(baselineMs)} ms (${formatRatio(baselineMs / throttledMs)} longer); whole job ` +
        `${Math.round(medianOf(throttled, 'jobWallMs'))} vs ${Math.round(medianOf(baseline, 'jobWallMs'))} ms, ` +
        `${(sum(throttled.map((run) => run.progressEdits)) / throttled.length).toFixed(1)} vs ` +
        `${(sum(baseline.map((run) => run.progressEdits)) / baseline.length).toFixed(1)} progress edits per job.`,
    );
  },
};
