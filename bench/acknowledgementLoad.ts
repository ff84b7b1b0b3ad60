// Acknowledgement latency under a steady 100 /animate per second for 20 s:
// from the fake gateway sending INTERACTION_CREATE to the interaction's
// callback POST reaching the fake Discord, for the compiled bot and the
// docs-style baseline, one after the other, each with fakes of its own. Every
// job goes on to download the picture, check it, upload it and submit it; fal
// keeps every job waiting in its queue, so the load is what 2,000 new jobs in
// 20 s bring, with no deliveries mixed in.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { step, type FalScript } from '../test/fakes/fakeFal.js';
import type { Benchmark } from './benchmark.js';
import { cpuMeter, machineLoad, sleep, startBotProcess, type BotKind } from './botProcesses.js';
import {
  ACK_DEADLINE_MS,
  KIND_LABELS,
  MEMBER_PICTURE,
  acknowledgementsOf,
  botEventLoopDelay,
  memberPicture,
  sendAnimate,
  sendSteadily,
  setupFor,
  startLoadRig,
  type Acknowledgement,
} from './loadRig.js';
import { createSharedStore } from '../test/support/sharedStore.js';
import { median, percentile } from './stats.js';
import { renderTable, type Cell } from './table.js';

const PER_SECOND = 100;
const SECONDS = 20;
const COUNT = PER_SECOND * SECONDS;
/** Untimed first interactions, so start-up work (first connections, lazy loads) stays out of the figures. */
const WARM_UP_COUNT = 20;
const GOAL_P99_MS = 50;
const READY_TIMEOUT_MS = 30_000;
/** fal keeps every job in line: nothing is delivered during the run. */
const WAITING_AT_FAL: FalScript = [step.queued(3), step.waitsInQueue(), step.completes()];

/** The bot alone (embedded default), or scale-out with the work split: a gateway process that only acknowledges and a worker process. */
type Variant = { kind: BotKind; split: boolean };

const VARIANTS: readonly Variant[] = [
  { kind: 'bot', split: false },
  { kind: 'bot', split: true },
  { kind: 'baseline', split: false },
];

function labelOf(variant: Variant): string {
  return variant.split ? 'bot, PROCESS_ROLE=gateway + a worker (PostgreSQL + Redis)' : KIND_LABELS[variant.kind];
}

interface AckRun {
  label: string;
  kind: BotKind;
  sent: number;
  achievedPerSecond: number;
  latenciesMs: number[];
  missed: number;
  refused: number;
  cpuPercent: number;
  mainThreadPercent: number;
  /** What the private answers said, when some were refused. */
  refusals: string[];
  loadBefore: string;
  botLoopP99Ms: number;
  botLoopMaxMs: number;
  submittedToFal: number;
  fakesLoopP99Ms: number;
}

/** The distinct sentences of private answers (refusals, errors), with how often each came. */
function refusalsOf(acks: readonly Acknowledgement[]): string[] {
  const counts = new Map<string, number>();
  for (const { refusal } of acks) {
    if (refusal === undefined) continue;
    // One sentence per cause: a bug report's id differs every time.
    const text = refusal.replace(/\(report `[^`]*`\)/, '(report …)').slice(0, 120);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].map(([text, count]) => `${count}× "${text}"`);
}

async function measure(variant: Variant, picture: Buffer): Promise<AckRun> {
  const { kind } = variant;
  const rig = await startLoadRig(WAITING_AT_FAL);
  const shared = variant.split ? await createSharedStore() : undefined;
  const setup = await setupFor(kind, rig, shared ? { ...shared.env, PROCESS_ROLE: 'gateway' } : {});
  const loadBefore = machineLoad();
  const bot = startBotProcess(kind, setup.env);
  // Its own HTTP port stays unset: the gateway process's /metrics is the one read.
  const worker = shared ? startBotProcess('bot', { ...setup.env, PROCESS_ROLE: 'worker', HTTP_PORT: '' }) : undefined;
  try {
    await bot.waitForLog(kind === 'bot' ? 'bot is ready' : 'baseline ready', READY_TIMEOUT_MS);
    await worker?.waitForLog('bot is ready', READY_TIMEOUT_MS);
    const warmUp = await Promise.all(Array.from({ length: WARM_UP_COUNT }, (_, index) => sendAnimate(rig.discord, picture, COUNT + index)));
    await rig.discord.waitFor(() => acknowledgementsOf(rig.discord, warmUp).every((ack) => ack.inTime), 10_000);
    const submitsBefore = rig.fal.submits.length;
    await botEventLoopDelay(setup.httpPort); // resets the bot's histogram

    // The fakes share this process: their own event-loop delay bounds how late they record an arrival.
    const fakesLoop = monitorEventLoopDelay({ resolution: 10 });
    fakesLoop.enable();
    const cpu = cpuMeter(bot);
    const { sent, achievedPerSecond } = await sendSteadily(COUNT, PER_SECOND, (index) => sendAnimate(rig.discord, picture, index));
    const { percent: cpuPercent, mainThreadPercent } = cpu.stop();
    const loop = await botEventLoopDelay(setup.httpPort);
    const handles = await Promise.all(sent);
    await sleep(ACK_DEADLINE_MS + 250); // the last ones' answer window
    fakesLoop.disable();

    const acks = acknowledgementsOf(rig.discord, handles);
    return {
      label: labelOf(variant),
      kind,
      sent: handles.length,
      achievedPerSecond,
      latenciesMs: acks.map((ack) => ack.latencyMs),
      missed: acks.filter((ack) => !ack.inTime).length,
      refused: acks.filter((ack) => ack.refused).length,
      cpuPercent,
      mainThreadPercent,
      refusals: refusalsOf(acks),
      loadBefore,
      botLoopP99Ms: loop.p99Ms,
      botLoopMaxMs: loop.maxMs,
      submittedToFal: rig.fal.submits.length - submitsBefore,
      fakesLoopP99Ms: fakesLoop.percentile(99) / 1e6,
    };
  } finally {
    await bot.dispose();
    await worker?.dispose();
    await rig.close();
    await shared?.drop();
  }
}

export const acknowledgementLoad: Benchmark = {
  title: `At scale: acknowledgement latency at ${PER_SECOND} /animate per second for ${SECONDS} s (compiled bot vs docs-style baseline, loopback fakes)`,
  async run(print) {
    const picture = await memberPicture();
    const runs: AckRun[] = [];
    for (const variant of VARIANTS) runs.push(await measure(variant, picture));

    const rows: Cell[][] = runs.map((run) => [
      run.label,
      run.sent,
      run.achievedPerSecond,
      median(run.latenciesMs),
      percentile(run.latenciesMs, 0.99),
      Math.max(...run.latenciesMs),
      run.missed,
      run.refused,
      run.cpuPercent,
      run.mainThreadPercent,
      run.botLoopP99Ms,
      run.botLoopMaxMs,
      run.submittedToFal,
      run.fakesLoopP99Ms,
    ]);
    renderTable(
      [
        { header: 'variant' },
        { header: 'sent' },
        { header: 'rate /s', decimals: 1 },
        { header: 'ack p50 ms' },
        { header: 'ack p99 ms' },
        { header: 'ack max ms' },
        { header: `missed (>${ACK_DEADLINE_MS / 1000} s)` },
        { header: 'private answers' },
        { header: 'CPU % of a core' },
        { header: 'main thread CPU %' },
        { header: 'bot loop delay p99 ms', decimals: 1 },
        { header: 'bot loop delay max ms', decimals: 1 },
        { header: 'submitted to fal' },
        { header: 'fakes loop delay p99 ms', decimals: 1 },
      ],
      rows,
    ).forEach((line) => print(line));
    print(
      `Each interaction is a different member with a ${MEMBER_PICTURE.width}×${MEMBER_PICTURE.height} ${MEMBER_PICTURE.format} photo (${picture.length.toLocaleString('en-US')} bytes); ` +
        `fal keeps every job in line. CPU is the bot process's over the ${SECONDS} s of sending; "submitted to fal" counts jobs that got there ` +
        `by ${ACK_DEADLINE_MS / 1000} s after the last interaction; "missed" has no accepted callback within ${ACK_DEADLINE_MS / 1000} s; ` +
        `"fakes loop delay" is this process's own event-loop delay (how late the fakes may have recorded an arrival). ` +
        `The bot's loop delay comes from its /metrics; the baseline has none. "Main thread" is the CPU of the thread that runs the event loop ` +
        `(at 100 % it cannot take more work); the rest is libuv's and libvips' threads and V8's. "Private answers" are ephemeral replies ` +
        `instead of a deferred public one: quota refusals, or the error a bot sends when its acknowledgement failed.`,
    );
    for (const run of runs) {
      print(`${run.label}: ${run.loadBefore} before it started.${run.refusals.length > 0 ? ` Private answers: ${run.refusals.join('; ')}.` : ''}`);
    }
    const [bot, split, baseline] = runs as [AckRun, AckRun, AckRun];
    const botP99 = percentile(bot.latenciesMs, 0.99);
    const met = botP99 < GOAL_P99_MS && bot.missed === 0;
    print(
      `Verdict: the bot acknowledges in ${Math.round(median(bot.latenciesMs))} ms (p50) / ${Math.round(botP99)} ms (p99) with ${bot.missed} missed at ` +
        `${Math.round(bot.cpuPercent)} % CPU; the baseline ${Math.round(median(baseline.latenciesMs))} / ${Math.round(percentile(baseline.latenciesMs, 0.99))} ms ` +
        `with ${baseline.missed} missed. Goal (p99 < ${GOAL_P99_MS} ms, none missed): ${met ? 'met' : 'NOT met'}. ` +
        `Split into a gateway and a worker process: ${Math.round(median(split.latenciesMs))} / ${Math.round(percentile(split.latenciesMs, 0.99))} ms with ${split.missed} missed ` +
        `(${percentile(split.latenciesMs, 0.99) < GOAL_P99_MS && split.missed === 0 ? 'met' : 'NOT met'}).`,
    );
  },
};
