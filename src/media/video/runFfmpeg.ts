import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { VideoError } from './videoError.js';

export interface FfmpegRunLimits {
  /** The process is killed (SIGKILL) when it runs longer than this. */
  timeoutMs: number;
  /** More stdout than this kills the process; only `-version` and pipes write there. */
  maxStdoutBytes?: number;
}

export interface FfmpegRunResult {
  stdout: Buffer;
  /** Bounded: the beginning and the end of what ffmpeg said, without a flood of warnings between. */
  stderr: string;
}

const DEFAULT_MAX_STDOUT_BYTES = 1024 * 1024;
// The head holds the stream descriptions the probe parses; the tail holds the
// error ffmpeg stops on. A damaged file can print millions of decode warnings
// in between, which nobody needs kept in memory.
const STDERR_HEAD_CHARS = 256 * 1024;
const STDERR_TAIL_CHARS = 16 * 1024;

/**
 * Quiet, non-interactive and never reading stdin: without `-nostdin` a
 * backgrounded ffmpeg can stop on SIGTTIN, and it would treat stray input as
 * keyboard commands.
 */
const COMMON_ARGS = ['-nostdin', '-hide_banner', '-nostats'] as const;

/**
 * The one place that starts ffmpeg. No shell: `args` goes to execve as is, and
 * every caller builds it from constants and our own temp-file paths, never from
 * member input. The child gets an empty environment so our secrets (bot token,
 * fal key) never reach it.
 */
export function runFfmpeg(ffmpegPath: string, args: readonly string[], limits: FfmpegRunLimits): Promise<FfmpegRunResult> {
  const maxStdoutBytes = limits.maxStdoutBytes ?? DEFAULT_MAX_STDOUT_BYTES;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(ffmpegPath, [...COMMON_ARGS, ...args], {
      shell: false,
      env: {},
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });

    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    const stderr = new BoundedText(STDERR_HEAD_CHARS, STDERR_TAIL_CHARS);
    let failure: VideoError | undefined;

    const stop = (error: VideoError) => {
      failure ??= error;
      child.kill('SIGKILL');
    };

    const timer = setTimeout(
      () => stop(new VideoError('timeout', `ffmpeg ran longer than ${limits.timeoutMs} ms and was killed`)),
      limits.timeoutMs,
    );

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdoutBytes) {
        stop(new VideoError('output_too_large', `ffmpeg wrote more than ${maxStdoutBytes} bytes to stdout`));
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => stderr.append(chunk));

    child.on('error', (error) => {
      // Spawning failed (ENOENT, EACCES); 'close' still follows.
      failure ??= new VideoError('ffmpeg_failed', `could not start ffmpeg: ${error.message}`, { cause: error });
    });

    // 'close' waits for the pipes too, so the process is gone and reaped here.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const text = stderr.text();
      if (failure !== undefined) {
        reject(new VideoError(failure.reason, failure.message, { stderrTail: tail(text), cause: failure.cause }));
      } else if (code !== 0) {
        reject(
          new VideoError('ffmpeg_failed', `ffmpeg exited with ${signal ?? `code ${code}`}`, { stderrTail: tail(text) }),
        );
      } else {
        resolvePromise({ stdout: Buffer.concat(stdout), stderr: text });
      }
    });
  });
}

/**
 * An input argument list for one of our own MP4 files. The demuxer is forced to
 * MP4/MOV and only the `file` protocol is allowed: left to guess, ffmpeg would
 * read an HLS or concat playlist disguised as .mp4 and follow the paths or URLs
 * inside it. The `file:` prefix stops a colon in the path from naming a protocol.
 */
export function mp4InputArgs(path: string): string[] {
  return ['-f', 'mov', '-protocol_whitelist', 'file', '-i', `file:${resolve(path)}`];
}

/** The path of an output file, with the same `file:` guard as inputs. */
export function outputPath(path: string): string {
  return `file:${resolve(path)}`;
}

function tail(text: string): string {
  return text.length > 2000 ? text.slice(-2000) : text;
}

/** Keeps the first `headChars` and the last `tailChars` of a stream of text. */
class BoundedText {
  private head = '';
  private rest = '';
  private dropped = false;

  constructor(
    private readonly headChars: number,
    private readonly tailChars: number,
  ) {}

  append(text: string): void {
    if (this.head.length < this.headChars) {
      const room = this.headChars - this.head.length;
      this.head += text.slice(0, room);
      this.rest += text.slice(room);
    } else {
      this.rest += text;
    }
    if (this.rest.length > this.tailChars * 2) {
      this.rest = this.rest.slice(-this.tailChars);
      this.dropped = true;
    }
  }

  text(): string {
    const rest = this.rest.length > this.tailChars ? this.rest.slice(-this.tailChars) : this.rest;
    const dropped = this.dropped || rest.length < this.rest.length;
    return dropped ? `${this.head}\n[…]\n${rest}` : this.head + rest;
  }
}
