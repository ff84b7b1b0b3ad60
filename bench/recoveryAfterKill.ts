// A process dies (SIGKILL) with 200 jobs waiting at fal: how long until every
// job it was following is followed again. "Followed" is what the fake fal
// sees: a status stream open for the request (the bot's default), or a status
// read. A job whose stream closed with the dead process, and that no other
// process follows, has lost its tracker; it is tracked again at the next
// status request for it.
//
// One process (SQLite, the embedded default) is restarted at once, as a
// supervisor would. Two processes (scale-out mode: PostgreSQL + Redis/BullMQ,
// one gateway shard each) keep the survivor running and restart nothing: its
// queue must take the dead one's work. The baseline is restarted like the bot.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeGuild } from '../test/fakes/fakeDiscord.js';
import { step, type FalScript } from '../test/fakes/fakeFal.js';
import { createSharedStore, type SharedStore } from '../test/support/sharedStore.js';
import type { Benchmark } from './benchmark.js';
import { REPO_ROOT, freePort, machineLoad, sleep, startBotProcess, type BotKind, type BotProcess } from './botProcesses.js';
import { KIND_LABELS, memberPicture, sendAsAcknowledged, setupFor, startLoadRig, type LoadRig } from './loadRig.js';
import { renderTable, type Cell } from './table.js';

const JOBS = 200;
const INGEST_WINDOW = 20;
const READY_TIMEOUT_MS = 30_000;
/** How long to wait for every job to be tracked again before calling it lost. */
const RECOVERY_TIMEOUT_MS = 45_000;
/** The baseline keeps jobs in memory only: a short look is enough to see none come back. */
const BASELINE_LOOK_MS = 8_000;
/** After the kill, time for the fake fal to see the dead process's connections close. */
const SOCKETS_CLOSE_MS = 300;
const WAITING_AT_FAL: FalScript = [step.queued(5), step.waitsInQueue(), step.completes()];
const SHARD_COUNT = 2;

interface Case {
  label: string;
  kind: BotKind;
  processes: 1 | 2;
}

const CASES: readonly Case[] = [
  { label: `${KIND_LABELS.bot}, one process (SQLite), restarted`, kind: 'bot', processes: 1 },
  { label: `${KIND_LABELS.bot}, two processes (PostgreSQL + Redis, a shard each), one killed`, kind: 'bot', processes: 2 },
  { label: `${KIND_LABELS.baseline}, restarted`, kind: 'baseline', processes: 1 },
];

interface Recovery {
  jobs: number;
  /** Jobs no process followed once the dead one's connections had closed. */
  lost: number;
  /** Kill → the replacement logged in and ready (restarted cases only). */
  readyMs: number | undefined;
  /** Kill → the last lost job tracked again; undefined when some never were. */
  allTrackedMs: number | undefined;
  trackedAgain: number;
}

/** Scale-out mode is there once the configuration lists REDIS_URL (every setting is in .env.example). */
function scaleOutModeExists(): boolean {
  const example = join(REPO_ROOT, '.env.example');
  return existsSync(example) && /^REDIS_URL=/m.test(readFileSync(example, 'utf8'));
}

/** Whether the fake fal has heard of this request since `since`: a status read, or a status stream opened. */
function statusRequestsOf(rig: LoadRig, requestId: string, since: number): number {
  return rig.fal.callsTo('status').filter((call) => call.at >= since && call.path.includes(requestId)).length;
}

/** Waits until every id had a status request after `since`; returns how many did by the deadline and when the last came. */
async function trackedAgain(rig: LoadRig, ids: readonly string[], since: number, timeoutMs: number): Promise<{ count: number; lastAt: number | undefined }> {
  const firstAt = new Map<string, number>();
  const wanted = new Set(ids);
  const deadline = Date.now() + timeoutMs;
  let scanned = 0;
  while (firstAt.size < ids.length && Date.now() < deadline) {
    const calls = rig.fal.calls;
    for (; scanned < calls.length; scanned += 1) {
      const call = calls[scanned]!;
      if (call.at < since || call.method !== 'GET') continue;
      const id = /\/requests\/([^/]+)\/status(?:\/stream)?$/.exec(call.path)?.[1];
      if (id !== undefined && wanted.has(id) && !firstAt.has(id)) firstAt.set(id, call.at);
    }
    await sleep(10);
  }
  return { count: firstAt.size, lastAt: firstAt.size === ids.length ? Math.max(...firstAt.values()) : undefined };
}

async function measure(testCase: Case, picture: Buffer): Promise<Recovery> {
  const rig = await startLoadRig(WAITING_AT_FAL);
  const setup = await setupFor(testCase.kind, rig);
  const shared: SharedStore | undefined = testCase.processes === 2 ? await createSharedStore() : undefined;
  const processes: BotProcess[] = [];
  const ready = testCase.kind === 'bot' ? 'bot is ready' : 'baseline ready';
  try {
    // Scale-out: one shard per process, all on the same database and queue, each with its own HTTP port.
    const envOf = async (shard: number): Promise<Record<string, string>> =>
      shared
        ? { ...setup.env, ...shared.env, SHARD_COUNT: String(SHARD_COUNT), SHARD_IDS: String(shard), HTTP_PORT: String(await freePort()) }
        : setup.env;
    const firstEnv = await envOf(0);
    for (let shard = 0; shard < testCase.processes; shard += 1) {
      const bot = startBotProcess(testCase.kind, shard === 0 ? firstEnv : await envOf(shard));
      processes.push(bot);
      await bot.waitForLog(ready, READY_TIMEOUT_MS);
    }
    // Members in servers of every shard, so each process has work of its own.
    const guilds: FakeGuild[] = shared ? Array.from({ length: SHARD_COUNT }, (_, shard) => rig.discord.addGuild({ shard: [shard, SHARD_COUNT] })) : [];
    await sendAsAcknowledged(rig.discord, picture, JOBS, INGEST_WINDOW, guilds);
    const ids = await rig.fal.waitFor(() => (rig.fal.submits.length >= JOBS ? rig.fal.submits.map((submit) => submit.requestId) : undefined), 60_000);
    await rig.fal.waitFor(() => ids.every((id) => statusRequestsOf(rig, id, 0) > 0), 30_000);

    const killedAt = Date.now();
    await processes[0]!.kill('SIGKILL');
    await sleep(SOCKETS_CLOSE_MS);
    // Requests the dead process had already sent may still arrive: only later ones count.
    const lookFrom = Date.now();
    const followed = new Set(rig.fal.openStatusStreams());
    const lost = ids.filter((id) => !followed.has(id));
    let readyMs: number | undefined;
    if (testCase.processes === 1) {
      // A supervisor restarts it at once, with the same configuration.
      const replacement = startBotProcess(testCase.kind, firstEnv);
      processes.push(replacement);
      await replacement.waitForLog(ready, READY_TIMEOUT_MS);
      readyMs = Date.now() - killedAt;
    }
    const timeoutMs = testCase.kind === 'baseline' ? BASELINE_LOOK_MS : RECOVERY_TIMEOUT_MS;
    const { count, lastAt } = await trackedAgain(rig, lost, lookFrom, timeoutMs);
    return { jobs: ids.length, lost: lost.length, readyMs, allTrackedMs: lastAt === undefined ? undefined : lastAt - killedAt, trackedAgain: count };
  } finally {
    await Promise.all(processes.map((bot) => bot.dispose()));
    await rig.close();
    await shared?.drop();
  }
}

export const recoveryAfterKill: Benchmark = {
  title: `At scale: recovery after SIGKILL with ${JOBS} jobs waiting at fal (one process, two processes, baseline)`,
  async run(print) {
    const loadBefore = machineLoad();
    const picture = await memberPicture();
    const twoProcesses = scaleOutModeExists();
    const rows: Cell[][] = [];
    const results = new Map<Case, Recovery>();
    for (const testCase of CASES) {
      if (testCase.processes === 2 && !twoProcesses) {
        rows.push([testCase.label, '', '', '', '', 'two processes: needs scale-out mode (REDIS_URL)']);
        continue;
      }
      const recovery = await measure(testCase, picture);
      results.set(testCase, recovery);
      rows.push([
        testCase.label,
        recovery.jobs,
        recovery.lost,
        recovery.readyMs === undefined ? '' : recovery.readyMs / 1000,
        recovery.allTrackedMs === undefined ? `never (${recovery.trackedAgain} of ${recovery.lost})` : recovery.allTrackedMs / 1000,
        `${recovery.trackedAgain} of ${recovery.lost} tracked again`,
      ]);
    }
    renderTable(
      [
        { header: 'case' },
        { header: 'jobs waiting' },
        { header: 'lost their tracker' },
        { header: 'kill → ready s', decimals: 2 },
        { header: 'kill → all tracked again s', decimals: 2 },
        { header: 'outcome' },
      ],
      rows,
    ).forEach((line) => print(line));
    print(
      '"Lost their tracker": jobs with no status stream open at the fake fal once the killed process\'s connections had closed. ' +
        '"Tracked again": a status request (a stream opened, or a read) for the job after that. The restarted process starts at once ' +
        `with the same configuration; "ready" is its "bot is ready" log line. The baseline is watched for ${BASELINE_LOOK_MS / 1000} s.`,
    );
    print(`Machine: ${loadBefore} when the run started.`);
    const seconds = (recovery: Recovery | undefined) =>
      recovery?.allTrackedMs === undefined ? 'never' : `after ${(recovery.allTrackedMs / 1000).toFixed(2)} s`;
    const [one, two, baseline] = CASES.map((testCase) => results.get(testCase));
    print(
      `Verdict: one process, restarted: its ${one?.lost ?? 0} jobs tracked again ${seconds(one)}; ` +
        (twoProcesses ? `two processes: the survivor tracks the dead one's ${two?.lost ?? 0} jobs ${seconds(two)}; ` : 'two processes: needs scale-out mode (REDIS_URL); ') +
        `the baseline tracks ${baseline?.trackedAgain ?? 0} of ${baseline?.lost ?? JOBS} again.`,
    );
  },
};
