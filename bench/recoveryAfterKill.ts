// A process dies (SIGKILL) with 200 jobs waiting at fal: how long until every
// one of them is tracked again, i.e. the fake fal sees a status read of each
// request after the kill. One process (SQLite, the embedded default) is
// restarted at once, as a supervisor would. Two processes (scale-out mode:
// PostgreSQL + Redis) keep the survivor running and restart nothing: its queue
// must take the dead one's work. The baseline is restarted like the bot.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { step, type FalScript } from '../test/fakes/fakeFal.js';
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
const WAITING_AT_FAL: FalScript = [step.queued(5), step.waitsInQueue(), step.completes()];
/** The machine's PostgreSQL (trust); each run makes a database of its own and drops it. */
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** A Redis database number of the benchmark's own, flushed before and after. */
const REDIS_URL = 'redis://127.0.0.1:6379/13';

interface Case {
  label: string;
  kind: BotKind;
  processes: 1 | 2;
}

const CASES: readonly Case[] = [
  { label: `${KIND_LABELS.bot}, one process (SQLite), restarted`, kind: 'bot', processes: 1 },
  { label: `${KIND_LABELS.bot}, two processes (PostgreSQL + Redis), one killed`, kind: 'bot', processes: 2 },
  { label: `${KIND_LABELS.baseline}, restarted`, kind: 'baseline', processes: 1 },
];

interface Recovery {
  jobs: number;
  /** Kill → the replacement logged in and ready (restarted cases only). */
  readyMs: number | undefined;
  /** Kill → the last job tracked again; undefined when some never were. */
  allTrackedMs: number | undefined;
  trackedAgain: number;
}

/** Scale-out mode is there once the configuration lists REDIS_URL (every setting is in .env.example). */
function scaleOutModeExists(): boolean {
  const example = join(REPO_ROOT, '.env.example');
  return existsSync(example) && /^REDIS_URL=/m.test(readFileSync(example, 'utf8'));
}

/** Members in, at most `window` unanswered at once; returns when every job is at fal and was asked about once. */
async function jobsWaitingAtFal(rig: LoadRig, picture: Buffer): Promise<string[]> {
  await sendAsAcknowledged(rig.discord, picture, JOBS, INGEST_WINDOW);
  const ids = await rig.fal.waitFor(() => (rig.fal.submits.length >= JOBS ? rig.fal.submits.map((submit) => submit.requestId) : undefined), 60_000);
  await rig.fal.waitFor(() => ids.every((id) => statusReadsOf(rig, id, 0) > 0), 30_000);
  return ids;
}

function statusReadsOf(rig: LoadRig, requestId: string, since: number): number {
  return rig.fal.callsTo('status').filter((call) => call.at >= since && call.path.includes(requestId)).length;
}

/** Waits until every id had a status read after `since`; returns how many did by the deadline and when the last came. */
async function trackedAgain(rig: LoadRig, ids: readonly string[], since: number, timeoutMs: number): Promise<{ count: number; lastAt: number | undefined }> {
  const firstReadAt = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  let scanned = 0;
  const wanted = new Set(ids);
  while (firstReadAt.size < ids.length && Date.now() < deadline) {
    const calls = rig.fal.calls;
    for (; scanned < calls.length; scanned += 1) {
      const call = calls[scanned]!;
      if (call.at < since || call.method !== 'GET' || !call.path.endsWith('/status')) continue;
      const id = /\/requests\/([^/]+)\/status$/.exec(call.path)?.[1];
      if (id !== undefined && wanted.has(id) && !firstReadAt.has(id)) firstReadAt.set(id, call.at);
    }
    await sleep(10);
  }
  return { count: firstReadAt.size, lastAt: firstReadAt.size === ids.length ? Math.max(...firstReadAt.values()) : undefined };
}

/** A database of this run's own on the machine's PostgreSQL; dropped by the returned function. */
async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    },
  };
}

async function measure(testCase: Case, picture: Buffer): Promise<Recovery> {
  const rig = await startLoadRig(WAITING_AT_FAL);
  const setup = await setupFor(testCase.kind, rig);
  const scratch = testCase.processes === 2 ? await scratchDatabase() : undefined;
  const processes: BotProcess[] = [];
  const ready = testCase.kind === 'bot' ? 'bot is ready' : 'baseline ready';
  try {
    const envOf = async (): Promise<Record<string, string>> =>
      scratch ? { ...setup.env, DATABASE_URL: scratch.url, REDIS_URL, HTTP_PORT: String(await freePort()) } : setup.env;
    const firstEnv = await envOf();
    for (let index = 0; index < testCase.processes; index += 1) {
      const bot = startBotProcess(testCase.kind, index === 0 ? firstEnv : await envOf());
      processes.push(bot);
      await bot.waitForLog(ready, READY_TIMEOUT_MS);
    }
    const ids = await jobsWaitingAtFal(rig, picture);

    const killedAt = Date.now();
    await processes[0]!.kill('SIGKILL');
    // Reads the dead process had already sent may still arrive: only later ones count as tracking again.
    const exitedAt = Date.now();
    let readyMs: number | undefined;
    if (testCase.processes === 1) {
      // A supervisor restarts it at once, with the same configuration.
      const replacement = startBotProcess(testCase.kind, firstEnv);
      processes.push(replacement);
      await replacement.waitForLog(ready, READY_TIMEOUT_MS);
      readyMs = Date.now() - killedAt;
    }
    const timeoutMs = testCase.kind === 'baseline' ? BASELINE_LOOK_MS : RECOVERY_TIMEOUT_MS;
    const { count, lastAt } = await trackedAgain(rig, ids, exitedAt, timeoutMs);
    return { jobs: ids.length, readyMs, allTrackedMs: lastAt === undefined ? undefined : lastAt - killedAt, trackedAgain: count };
  } finally {
    await Promise.all(processes.map((bot) => bot.dispose()));
    await rig.close();
    await scratch?.drop();
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
        rows.push([testCase.label, '', '', '', 'two processes: needs scale-out mode (REDIS_URL)']);
        continue;
      }
      const recovery = await measure(testCase, picture);
      results.set(testCase, recovery);
      rows.push([
        testCase.label,
        recovery.jobs,
        recovery.readyMs === undefined ? '' : recovery.readyMs / 1000,
        recovery.allTrackedMs === undefined ? `never (${recovery.trackedAgain} of ${recovery.jobs})` : recovery.allTrackedMs / 1000,
        `${recovery.trackedAgain} of ${recovery.jobs} tracked again`,
      ]);
    }
    renderTable(
      [{ header: 'case' }, { header: 'jobs waiting' }, { header: 'kill → ready s', decimals: 2 }, { header: 'kill → all tracked again s', decimals: 2 }, { header: 'outcome' }],
      rows,
    ).forEach((line) => print(line));
    print(
      '"Tracked again" = the fake fal saw a status read of the request after the kill. The restarted process starts at once with the same ' +
        `configuration; "ready" is its "bot is ready" log line (logged in, unfinished jobs resumed). The baseline is watched for ${BASELINE_LOOK_MS / 1000} s.`,
    );
    print(`Machine: ${loadBefore} when the run started.`);
    const one = results.get(CASES[0]!);
    const baseline = results.get(CASES[2]!);
    print(
      `Verdict: one process tracks all ${JOBS} again ${one?.allTrackedMs === undefined ? 'never' : `${(one.allTrackedMs / 1000).toFixed(2)} s`} after the kill; ` +
        `the baseline tracks ${baseline?.trackedAgain ?? 0} of ${baseline?.jobs ?? JOBS} again.${twoProcesses ? '' : ' Two processes: needs scale-out mode (REDIS_URL).'}`,
    );
  },
};
