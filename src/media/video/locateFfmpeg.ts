import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { runFfmpeg } from './runFfmpeg.js';

/** Where the binary came from: the operator's setting, the system PATH, or the npm package. */
export type FfmpegSource = 'configured' | 'system' | 'package';

/** An ffmpeg that answered `-version`; `path` is absolute, so no later PATH lookup can swap it. */
export interface FfmpegBinary {
  path: string;
  /** As ffmpeg reports it, e.g. '6.1.1' or 'N-47683-g0e8eb07980-static'. */
  version: string;
  source: FfmpegSource;
}

export interface LocateFfmpegOptions {
  /**
   * The PATH to search (the caller passes its environment's PATH; this module
   * reads no environment). Undefined or empty: no system ffmpeg.
   */
  searchPath: string | undefined;
  /**
   * An operator-chosen binary. When set it is the only candidate, and one that
   * does not run is an error rather than a silent fallback.
   */
  configuredPath?: string;
  /** Resolves the npm package's binary; replaceable so tests can take it away. */
  packagedPath?: () => Promise<string | undefined>;
  /** For each `-version` check; a healthy ffmpeg answers in tens of milliseconds. */
  versionTimeoutMs?: number;
}

const DEFAULT_VERSION_TIMEOUT_MS = 5_000;
const EXECUTABLE = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';

/**
 * The ffmpeg to use: the configured one, else the first working `ffmpeg` on
 * PATH (a distribution build is newer and patched), else the static build
 * shipped in @ffmpeg-installer/ffmpeg, else undefined: video features are then
 * switched off rather than failing each job.
 */
export async function locateFfmpeg(options: LocateFfmpegOptions): Promise<FfmpegBinary | undefined> {
  const timeoutMs = options.versionTimeoutMs ?? DEFAULT_VERSION_TIMEOUT_MS;

  if (options.configuredPath !== undefined) {
    const version = await versionOf(options.configuredPath, timeoutMs);
    if (version === undefined) {
      throw new Error(`the configured ffmpeg (${options.configuredPath}) does not run or does not answer -version`);
    }
    return { path: options.configuredPath, version, source: 'configured' };
  }

  for (const candidate of await executablesOnPath(options.searchPath)) {
    const version = await versionOf(candidate, timeoutMs);
    if (version !== undefined) return { path: candidate, version, source: 'system' };
  }

  const packaged = await (options.packagedPath ?? packagedFfmpegPath)();
  if (packaged !== undefined) {
    const version = await versionOf(packaged, timeoutMs);
    if (version !== undefined) return { path: packaged, version, source: 'package' };
  }
  return undefined;
}

/**
 * The binary path from @ffmpeg-installer/ffmpeg, or undefined when this
 * platform has none. Imported lazily: the package throws (a string, not an
 * Error) at import time when its platform package is missing, which must not
 * take the bot down.
 */
export async function packagedFfmpegPath(): Promise<string | undefined> {
  try {
    const { default: installer } = await import('@ffmpeg-installer/ffmpeg');
    return installer.path;
  } catch {
    return undefined;
  }
}

/** Absolute `ffmpeg` files on PATH, in PATH order. Relative entries are skipped: they depend on the working directory. */
async function executablesOnPath(searchPath: string | undefined): Promise<string[]> {
  if (searchPath === undefined || searchPath === '') return [];
  const found: string[] = [];
  for (const directory of searchPath.split(delimiter)) {
    if (!isAbsolute(directory)) continue;
    const candidate = join(directory, EXECUTABLE);
    if (await isExecutableFile(candidate)) found.push(candidate);
  }
  return found;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The version from `ffmpeg -version`, or undefined when the file hangs, fails or is not ffmpeg. */
async function versionOf(path: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const { stdout } = await runFfmpeg(path, ['-version'], { timeoutMs, maxStdoutBytes: 64 * 1024 });
    return /^ffmpeg version (\S+)/.exec(stdout.toString('utf8'))?.[1];
  } catch {
    return undefined;
  }
}
