import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MAIN = join(REPO_ROOT, 'src', 'main.ts');
// By URL: `--import tsx` would be resolved from the child's (empty) working directory.
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface BotProcess {
  readonly child: ChildProcess;
  /** stdout + stderr lines (pino JSON and any crash text). */
  readonly output: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Runs the real bot (`src/main.ts`, through tsx) as its own process, so a test
 * can SIGKILL or SIGTERM it like an operator or a crash would. Its working
 * directory is empty, so no stray .env is read: the environment is all its config.
 */
export function spawnBot(env: Record<string, string>): BotProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'animate-bot-'));
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });
  return { child, output, exited, kill: (signal) => child.kill(signal) };
}
