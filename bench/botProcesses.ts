// The bots the load benchmarks measure, each in a process of its own: the
// compiled bot exactly as `npm start` runs it (`node dist/src/main.js`, all
// configuration in the environment) and the docs-style baseline
// (dist/bench/baselineBot.js). Their CPU time and memory are read from
// /proc, so these benchmarks need Linux.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
/** dist/ after `npm run build`; under tsx (bench/*.ts) the compiled twin is ../dist. */
const DIST_DIR = basename(dirname(BENCH_DIR)) === 'dist' ? dirname(BENCH_DIR) : join(dirname(BENCH_DIR), 'dist');
export const REPO_ROOT = dirname(DIST_DIR);
const COMPILED_BOT = join(DIST_DIR, 'src', 'main.js');
const COMPILED_BASELINE = join(DIST_DIR, 'bench', 'baselineBot.js');
const READY_POLL_MS = 25;

/** Clock ticks per second of /proc/<pid>/stat's CPU times (100 on every Linux the bot runs on). */
const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export type BotKind = 'bot' | 'baseline';

export interface BotProcess {
  readonly kind: BotKind;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The process's stdout and stderr (pino's JSON lines for the bot). */
  readonly logPath: string;
  readonly exited: Promise<void>;
  log(): string;
  /** Resolves once a log line contains `text`. */
  waitForLog(text: string, timeoutMs: number): Promise<void>;
  /** User + system CPU seconds the process has used so far (all its threads). */
  cpuSeconds(): number;
  /** The same for its main thread alone: the event loop that also acknowledges interactions. */
  mainThreadCpuSeconds(): number;
  rssBytes(): number;
  /** The highest RSS the process has had (VmHWM). */
  peakRssBytes(): number;
  /** SIGKILL (a crash) or SIGTERM; resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Kills it if still running and removes its working directory. */
  dispose(): Promise<void>;
}

/**
 * Starts `node dist/src/main.js` (or the baseline) in an empty working
 * directory, so no stray .env is read: `env` is its whole configuration.
 * Output goes to a file, not a pipe, so reading it costs the measuring
 * process nothing while the bot runs. `nodeOptions` go before the script
 * (e.g. `--cpu-prof`).
 */
export function startBotProcess(kind: BotKind, env: Record<string, string>, nodeOptions: readonly string[] = []): BotProcess {
  const script = kind === 'bot' ? COMPILED_BOT : COMPILED_BASELINE;
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first (\`npm run bench\` does)`);
  if (!existsSync('/proc/self/stat')) throw new Error('the load benchmarks read CPU and memory from /proc: Linux only');
  const cwd = mkdtempSync(join(tmpdir(), `animate-bench-${kind}-`));
  const logPath = join(cwd, 'output.log');
  const logFd = openSync(logPath, 'a');
  const child = spawn(process.execPath, [...nodeOptions, script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const pid = child.pid;
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  const log = () => readFileSync(logPath, 'utf8');
  /** Reads /proc of a process that is still there; one that died says why. */
  const alive = <T>(read: () => T): T => {
    if (!running) throw new Error(`${kind} (pid ${pid}) has exited:\n${tail(log())}`);
    return read();
  };

  return {
    kind,
    pid,
    child,
    logPath,
    exited,
    log,
    async waitForLog(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!log().includes(text)) {
        if (!running) throw new Error(`${kind} exited before logging "${text}":\n${tail(log())}`);
        if (Date.now() > deadline) throw new Error(`${kind} did not log "${text}" within ${timeoutMs} ms:\n${tail(log())}`);
        await sleep(READY_POLL_MS);
      }
    },
    cpuSeconds: () => alive(() => cpuSecondsOf(`/proc/${pid}/stat`)),
    mainThreadCpuSeconds: () => alive(() => cpuSecondsOf(`/proc/${pid}/task/${pid}/stat`)),
    rssBytes: () => alive(() => statusKib(pid, 'VmRSS') * 1024),
    peakRssBytes: () => alive(() => statusKib(pid, 'VmHWM') * 1024),
    async kill(signal = 'SIGKILL') {
      if (running) child.kill(signal);
      await exited;
    },
    async dispose() {
      if (running) child.kill('SIGKILL');
      await exited;
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** utime + stime from a /proc …/stat file (fields 14 and 15, counted after the command name in parentheses). */
function cpuSecondsOf(statPath: string): number {
  const stat = readFileSync(statPath, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function statusKib(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(match[1]);
}

/** CPU use of a process over a stretch of time, as a percentage of one core: all threads, and its main thread. */
export function cpuMeter(processToWatch: Pick<BotProcess, 'cpuSeconds' | 'mainThreadCpuSeconds'>): { stop(): { percent: number; mainThreadPercent: number } } {
  const cpuAtStart = processToWatch.cpuSeconds();
  const mainAtStart = processToWatch.mainThreadCpuSeconds();
  const startedAt = performance.now();
  return {
    stop() {
      const wallSeconds = (performance.now() - startedAt) / 1000;
      return {
        percent: ((processToWatch.cpuSeconds() - cpuAtStart) / wallSeconds) * 100,
        mainThreadPercent: ((processToWatch.mainThreadCpuSeconds() - mainAtStart) / wallSeconds) * 100,
      };
    },
  };
}

/** "Load average 3.2 on 2 cores": other work on the machine competes with the bots for the CPU. */
export function machineLoad(): string {
  return `load average (1 min) ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
}

export { freePort } from '../test/support/freePort.js';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tail(text: string): string {
  return text.split('\n').slice(-15).join('\n');
}
