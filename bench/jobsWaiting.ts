// 1,000 jobs in flight, all waiting in fal's line: the bot process's memory
// (RSS while waiting, and its peak over the whole run) and its CPU while it
// only waits, against the docs-style baseline holding the same 1,000 jobs.
// Members are let in as fast as each bot acknowledges them (at most
// INGEST_WINDOW unanswered at once), so every job gets in and none is lost to
// a missed acknowledgement; the waiting is then measured on its own.
import { step, type FalScript } from '../test/fakes/fakeFal.js';
import type { Benchmark } from './benchmark.js';
import { cpuMeter, machineLoad, sleep, startBotProcess, type BotKind } from './botProcesses.js';
import { KIND_LABELS, memberPicture, sendAsAcknowledged, setupFor, startLoadRig } from './loadRig.js';
import { renderTable, type Cell } from './table.js';

const JOBS = 1_000;
/** Unanswered interactions allowed at once while members come in. */
const INGEST_WINDOW = 20;
/** After the last submit: every job is being followed (a status stream open, or a first read). */
const SETTLE_MS = 4_000;
const WINDOW_MS = 10_000;
const SAMPLE_EVERY_MS = 250;
/** Give up waiting for submits once none has come for this long. */
const STALL_MS = 10_000;
const READY_TIMEOUT_MS = 30_000;
const GOAL_RSS_MB = 200;
const GOAL_CPU_PERCENT = 10;
const MB = 1024 * 1024;
const WAITING_AT_FAL: FalScript = [step.queued(40), step.waitsInQueue(), step.completes()];

interface Variant {
  label: string;
  kind: BotKind;
  /** fal calls the bot back (PUBLIC_URL) instead of the bot following each job's status stream. */
  webhook: boolean;
}

const VARIANTS: readonly Variant[] = [
  { label: `${KIND_LABELS.bot}, status stream`, kind: 'bot', webhook: false },
  { label: `${KIND_LABELS.bot}, fal webhooks (PUBLIC_URL)`, kind: 'bot', webhook: true },
  { label: KIND_LABELS.baseline, kind: 'baseline', webhook: false },
];

interface WaitingRun {
  variant: Variant;
  loadBefore: string;
  ingestSeconds: number;
  jobsAtFal: number;
  idleRssBytes: number;
  waitingRssBytes: number;
  peakRssBytes: number;
  cpuPercent: number;
  mainThreadPercent: number;
  falCallsPerSecond: number;
  discordCallsPerSecond: number;
}

async function measure(variant: Variant, picture: Buffer): Promise<WaitingRun> {
  const { kind } = variant;
  const rig = await startLoadRig(WAITING_AT_FAL);
  const setup = await setupFor(kind, rig);
  const webhookEnv: Record<string, string> = variant.webhook && setup.httpPort !== undefined ? { PUBLIC_URL: `http://127.0.0.1:${setup.httpPort}` } : {};
  const loadBefore = machineLoad();
  const bot = startBotProcess(kind, { ...setup.env, ...webhookEnv });
  try {
    await bot.waitForLog(kind === 'bot' ? 'bot is ready' : 'baseline ready', READY_TIMEOUT_MS);
    await sleep(1_000);
    const idleRssBytes = bot.rssBytes();

    const ingestStartedAt = performance.now();
    await sendAsAcknowledged(rig.discord, picture, JOBS, INGEST_WINDOW);
    let lastCount = -1;
    let lastChangeAt = performance.now();
    while (rig.fal.submits.length < JOBS && performance.now() - lastChangeAt < STALL_MS) {
      if (rig.fal.submits.length !== lastCount) [lastCount, lastChangeAt] = [rig.fal.submits.length, performance.now()];
      await sleep(50);
    }
    const ingestSeconds = (performance.now() - ingestStartedAt) / 1000;
    await sleep(SETTLE_MS);

    const falCallsBefore = rig.fal.calls.length;
    const discordCallsBefore = rig.discord.calls.length;
    const cpu = cpuMeter(bot);
    let waitingRssBytes = 0;
    const windowEndsAt = performance.now() + WINDOW_MS;
    while (performance.now() < windowEndsAt) {
      waitingRssBytes = Math.max(waitingRssBytes, bot.rssBytes());
      await sleep(SAMPLE_EVERY_MS);
    }
    const { percent: cpuPercent, mainThreadPercent } = cpu.stop();
    return {
      variant,
      loadBefore,
      ingestSeconds,
      jobsAtFal: rig.fal.submits.length,
      idleRssBytes,
      waitingRssBytes,
      peakRssBytes: bot.peakRssBytes(),
      cpuPercent,
      mainThreadPercent,
      falCallsPerSecond: (rig.fal.calls.length - falCallsBefore) / (WINDOW_MS / 1000),
      discordCallsPerSecond: (rig.discord.calls.length - discordCallsBefore) / (WINDOW_MS / 1000),
    };
  } finally {
    await bot.dispose();
    await rig.close();
  }
}

export const jobsWaiting: Benchmark = {
  title: `At scale: ${JOBS.toLocaleString('en-US')} jobs waiting at fal: memory and CPU (bot on status streams, bot with webhooks, docs-style baseline)`,
  async run(print) {
    const picture = await memberPicture();
    const runs: WaitingRun[] = [];
    for (const variant of VARIANTS) runs.push(await measure(variant, picture));

    renderTable(
      [
        { header: 'variant' },
        { header: 'jobs at fal' },
        { header: 'taking them s', decimals: 1 },
        { header: 'idle RSS MB' },
        { header: 'RSS waiting MB' },
        { header: 'peak RSS MB' },
        { header: 'KB per job' },
        { header: 'CPU % waiting', decimals: 1 },
        { header: 'main thread %', decimals: 1 },
        { header: 'fal calls/s waiting' },
        { header: 'Discord calls/s waiting' },
      ],
      runs.map((run): Cell[] => [
        run.variant.label,
        run.jobsAtFal,
        run.ingestSeconds,
        run.idleRssBytes / MB,
        run.waitingRssBytes / MB,
        run.peakRssBytes / MB,
        (run.waitingRssBytes - run.idleRssBytes) / 1024 / Math.max(1, run.jobsAtFal),
        run.cpuPercent,
        run.mainThreadPercent,
        run.falCallsPerSecond,
        run.discordCallsPerSecond,
      ]),
    ).forEach((line) => print(line));
    print(
      `Members come in as fast as each bot acknowledges them (at most ${INGEST_WINDOW} unanswered); "taking them" runs until the last job is at fal. ` +
        `Then ${SETTLE_MS / 1000} s to settle and a ${WINDOW_MS / 1000} s window in which the jobs only wait: CPU (% of one core) and the highest RSS in it; ` +
        '"peak RSS" is the process\'s highest over the whole run (VmHWM); "KB per job" is (RSS waiting − idle RSS) / jobs.',
    );
    runs.forEach((run) => print(`${run.variant.label}: ${run.loadBefore} before it started.`));
    const [streaming, webhooks, baseline] = runs as [WaitingRun, WaitingRun, WaitingRun];
    const verdict = (run: WaitingRun) =>
      `${Math.round(run.peakRssBytes / MB)} MB peak, ${run.cpuPercent.toFixed(1)} % CPU waiting ` +
      `(${run.peakRssBytes / MB < GOAL_RSS_MB && run.cpuPercent < GOAL_CPU_PERCENT ? 'goal met' : 'goal NOT met'})`;
    print(
      `Verdict (goal < ${GOAL_RSS_MB} MB, < ${GOAL_CPU_PERCENT} % of a core): status stream ${verdict(streaming)}; webhooks ${verdict(webhooks)}; ` +
        `baseline ${Math.round(baseline.peakRssBytes / MB)} MB, ${baseline.cpuPercent.toFixed(1)} %.`,
    );
  },
};
