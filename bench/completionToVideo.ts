// One 10 s job (2 s in fal's line, 8 s running), several of them side by side:
// how long after fal turns a job COMPLETED the video is in Discord, and how
// many fal calls and Discord edits a job costs, for the compiled bot following
// fal's status stream (the default without PUBLIC_URL), polling it
// (FAL_STATUS_MODE=poll), told by fal's signed webhooks (PUBLIC_URL +
// HTTP_PORT), and the docs-style baseline. Real time and the bots' default
// intervals (POLL_INTERVAL_MS 3 s, progress edits every 4 s, safety poll 60 s,
// fal.subscribe's 500 ms): a 10 s job is short enough to run as it is.
import type { FakeDiscord, InteractionEvent, InteractionHandle } from '../test/fakes/fakeDiscord.js';
import type { Benchmark } from './benchmark.js';
import { machineLoad, sleep, startBotProcess, type BotKind, type BotProcess } from './botProcesses.js';
import { runFalOnAClock, timedJobScript, type TimedJob } from './falScheduler.js';
import { memberPicture, sendAnimate, setupFor, startLoadRig, type LoadRig } from './loadRig.js';
import { median, percentile, sum } from './stats.js';
import { renderTable, type Cell } from './table.js';

const QUEUE_MS = 2_000;
const FAL_MS = 10_000;
/** Timed jobs per variant, plus one warm-up job that finishes first and is left out. */
const JOBS = 6;
const SEND_EVERY_MS = 250;
/**
 * Job n finishes n × 500 ms later than job 0: six jobs spread their completion
 * over one whole 3 s poll interval, so the figure is not the luck of one phase.
 */
const SPREAD_MS = 500;
const GOAL_MS = 300;
const VIDEO_TIMEOUT_MS = 40_000;
const READY_TIMEOUT_MS = 30_000;

interface Variant {
  label: string;
  kind: BotKind;
  webhook: boolean;
  env: Record<string, string>;
}

const VARIANTS: readonly Variant[] = [
  { label: 'bot, status stream (default)', kind: 'bot', webhook: false, env: {} },
  { label: 'bot, polling (FAL_STATUS_MODE=poll)', kind: 'bot', webhook: false, env: { FAL_STATUS_MODE: 'poll' } },
  { label: 'bot, fal webhooks (PUBLIC_URL)', kind: 'bot', webhook: true, env: {} },
  { label: 'baseline: fal.subscribe polling', kind: 'baseline', webhook: false, env: {} },
];
const BOT_VARIANTS = VARIANTS.filter((variant) => variant.kind === 'bot');

interface JobFigures {
  completionToVideoMs: number;
  statusReads: number;
  queueCalls: number;
  allFalCalls: number;
  webhooksReceived: number;
  discordEdits: number;
  discordRateLimited: number;
  discordRequests: number;
}

/** Jobs are matched to members by this tag in the prompt ("job 3."). */
const tagOf = (index: number) => `job ${index}.`;
const indexOf = (prompt: string) => Number(/\(job (\d+)\.\)/.exec(prompt)?.[1] ?? Number.NaN);

function falMsOf(prompt: string): number {
  const index = indexOf(prompt);
  // The warm-up (index 0) finishes a second ahead of the timed ones.
  return index === 0 ? FAL_MS - 1_000 : FAL_MS + (index - 1) * SPREAD_MS;
}

function figuresOf(rig: LoadRig, job: TimedJob, handle: InteractionHandle, video: InteractionEvent): JobFigures {
  const { discord, fal } = rig;
  const ofJob = (path: string) => path.includes(job.requestId);
  const statusReads = fal.callsTo('status').filter((call) => ofJob(call.path)).length;
  const queueCalls = 1 + statusReads + fal.callsTo('result').filter((call) => ofJob(call.path)).length + fal.callsTo('cancel').filter((call) => ofJob(call.path)).length;
  const jobs = fal.submits.length;
  // Storage (initiate + PUT of the picture) and CDN downloads of the video name no request id: shared out evenly.
  const perJob = (kind: 'initiate' | 'upload' | 'cdn') => fal.callsTo(kind).length / jobs;
  const tokenCalls = discordCallsOf(discord, handle.token);
  return {
    completionToVideoMs: video.at - (job.completedAt ?? Number.NaN),
    statusReads,
    queueCalls,
    allFalCalls: queueCalls + perJob('initiate') + perJob('upload') + perJob('cdn'),
    webhooksReceived: fal.webhooks.filter((sent) => sent.requestId === job.requestId).length,
    discordEdits: handle.events().filter((event) => event.kind === 'edit').length,
    discordRateLimited: tokenCalls.filter((call) => call.status === 429).length,
    discordRequests: tokenCalls.length,
  };
}

function discordCallsOf(discord: FakeDiscord, token: string) {
  return discord.calls.filter((call) => call.path.includes(`/${token}/`) || call.path.endsWith(`/${token}`));
}

async function measure(variant: Variant, picture: Buffer): Promise<JobFigures[]> {
  const rig = await startLoadRig(timedJobScript(variant.webhook));
  const setup = await setupFor(variant.kind, rig);
  const webhookEnv: Record<string, string> = variant.webhook && setup.httpPort !== undefined ? { PUBLIC_URL: `http://127.0.0.1:${setup.httpPort}` } : {};
  let bot: BotProcess | undefined;
  const clock = runFalOnAClock(rig.fal, QUEUE_MS, falMsOf);
  try {
    bot = startBotProcess(variant.kind, { ...setup.env, ...variant.env, ...webhookEnv });
    await bot.waitForLog(variant.kind === 'bot' ? 'bot is ready' : 'baseline ready', READY_TIMEOUT_MS);
    const handles: InteractionHandle[] = [];
    for (let index = 0; index <= JOBS; index += 1) {
      handles.push(await sendAnimate(rig.discord, picture, index, tagOf(index)));
      await sleep(SEND_EVERY_MS);
    }
    const videos = await Promise.all(handles.map((handle) => handle.waitForEvent((event) => event.files.length > 0, VIDEO_TIMEOUT_MS)));
    // Late edits and calls after the video still count against the job.
    await sleep(1_000);
    return clock.jobs
      .map((job) => ({ job, index: indexOf(job.prompt) }))
      .filter(({ index }) => index > 0)
      .map(({ job, index }) => figuresOf(rig, job, handles[index]!, videos[index]!));
  } finally {
    clock.stop();
    await bot?.dispose();
    await rig.close();
  }
}

export const completionToVideo: Benchmark = {
  title: `At scale: one ${FAL_MS / 1000} s job: fal COMPLETED → video in Discord, and fal calls and Discord edits per job (status stream, polling, webhooks, baseline)`,
  async run(print) {
    const loadBefore = machineLoad();
    const picture = await memberPicture();
    // Side by side: each variant has its own fakes and process, and the load of a handful of jobs is light.
    const results = await Promise.all(VARIANTS.map((variant) => measure(variant, picture)));

    const pick = (jobs: JobFigures[], key: keyof JobFigures) => jobs.map((job) => job[key]);
    print('fal COMPLETED → video message in Discord:');
    renderTable(
      [{ header: 'variant' }, { header: 'jobs' }, { header: 'median ms' }, { header: 'p95 ms' }, { header: 'max ms' }, { header: `goal < ${GOAL_MS} ms` }],
      VARIANTS.map((variant, index): Cell[] => {
        const delays = pick(results[index]!, 'completionToVideoMs');
        return [variant.label, delays.length, median(delays), percentile(delays, 0.95), Math.max(...delays), percentile(delays, 0.95) < GOAL_MS ? 'met' : 'NOT met'];
      }),
    ).forEach((line) => print(line));
    print('');
    print('Calls per job (mean):');
    renderTable(
      [
        { header: 'variant' },
        { header: 'fal status reads', decimals: 1 },
        { header: 'fal queue calls', decimals: 1 },
        { header: 'all fal calls', decimals: 1 },
        { header: 'webhooks received', decimals: 1 },
        { header: 'Discord edits', decimals: 1 },
        { header: 'Discord 429s', decimals: 1 },
        { header: 'Discord requests', decimals: 1 },
      ],
      VARIANTS.map((variant, index): Cell[] => {
        const jobs = results[index]!;
        const mean = (key: keyof JobFigures) => sum(pick(jobs, key)) / jobs.length;
        return [
          variant.label,
          mean('statusReads'),
          mean('queueCalls'),
          mean('allFalCalls'),
          mean('webhooksReceived'),
          mean('discordEdits'),
          mean('discordRateLimited'),
          mean('discordRequests'),
        ];
      }),
    ).forEach((line) => print(line));
    print(
      `Each variant: ${JOBS} jobs (after one warm-up job), sent ${SEND_EVERY_MS} ms apart; each waits ${QUEUE_MS / 1000} s in fal's line and is COMPLETED ` +
        `${FAL_MS / 1000}–${(FAL_MS + (JOBS - 1) * SPREAD_MS) / 1000} s after its submit, so completions fall all over a 3 s poll interval. ` +
        '"fal status reads" count status requests, a status stream as one; "fal queue calls" are submit + status + result + cancel; ' +
        '"all fal calls" add the picture upload (initiate + PUT) and the video download. ' +
        'Discord edits are the edits of the reply Discord accepted (progress and the video); requests include the callback and refused (429) edits.',
    );
    print(`Machine: ${loadBefore} when the run started.`);
    const medianOf = (index: number) => Math.round(median(pick(results[index]!, 'completionToVideoMs')));
    const p95Of = (index: number) => percentile(pick(results[index]!, 'completionToVideoMs'), 0.95);
    const met = BOT_VARIANTS.filter((variant) => p95Of(VARIANTS.indexOf(variant)) < GOAL_MS).map((variant) => variant.label);
    print(
      `Verdict: fal finished → video (medians) ${VARIANTS.map((variant, index) => `${variant.label} ${medianOf(index)} ms`).join(', ')}; ` +
        `goal (p95 < ${GOAL_MS} ms): ${met.length > 0 ? `met by ${met.join(', ')}` : 'NOT met'}` +
        `${met.length < BOT_VARIANTS.length ? `; not by ${BOT_VARIANTS.filter((variant) => !met.includes(variant.label)).map((variant) => variant.label).join(', ')}` : ''}.`,
    );
  },
};
