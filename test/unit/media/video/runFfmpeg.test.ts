import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FfmpegBinary } from '../../../../src/media/video/locateFfmpeg.js';
import { mp4InputArgs, runFfmpeg } from '../../../../src/media/video/runFfmpeg.js';
import { VideoError } from '../../../../src/media/video/videoError.js';
import { testFfmpeg } from '../../../support/videoClips.js';

async function failure(run: Promise<unknown>): Promise<VideoError> {
  const error: unknown = await run.then(
    () => new Error('expected the run to fail'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(VideoError);
  return error as VideoError;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runFfmpeg', () => {
  let ffmpeg: FfmpegBinary;
  let directory: string;

  beforeAll(async () => {
    ffmpeg = await testFfmpeg();
    directory = await mkdtemp(join(tmpdir(), 'run-ffmpeg-test-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('kills an ffmpeg that hangs once its time is up', async () => {
    const pidFile = join(directory, 'hung.pid');
    const hung = join(directory, 'hung-ffmpeg');
    // `exec` keeps the pid, so the pid file names the process that must die.
    await writeFile(hung, `#!/bin/sh\necho $$ > '${pidFile}'\nexec /bin/sleep 30\n`);
    await chmod(hung, 0o755);

    const started = Date.now();
    const error = await failure(runFfmpeg(hung, ['-version'], { timeoutMs: 300 }));
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
  });

  it('kills a real ffmpeg that is still encoding when its time is up', async () => {
    const started = Date.now();
    // An endless source: only the time limit ends this run.
    const error = await failure(runFfmpeg(ffmpeg.path, ['-f', 'lavfi', '-i', 'testsrc=size=160x120', '-f', 'null', '-'], { timeoutMs: 500 }));
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('kills ffmpeg when it writes more to stdout than allowed', async () => {
    const error = await failure(
      runFfmpeg(ffmpeg.path, ['-f', 'lavfi', '-i', 'testsrc=size=320x240', '-f', 'rawvideo', 'pipe:1'], {
        timeoutMs: 20_000,
        maxStdoutBytes: 100_000,
      }),
    );
    expect(error.reason).toBe('output_too_large');
  });

  it('reports a failed run with the end of what ffmpeg said', async () => {
    const error = await failure(runFfmpeg(ffmpeg.path, mp4InputArgs(join(directory, 'missing.mp4')), { timeoutMs: 20_000 }));
    expect(error.reason).toBe('ffmpeg_failed');
    expect(error.stderrTail).toContain('No such file or directory');
  });

  it('reports a binary that cannot be started', async () => {
    const error = await failure(runFfmpeg(join(directory, 'no-such-ffmpeg'), ['-version'], { timeoutMs: 5_000 }));
    expect(error.reason).toBe('ffmpeg_failed');
    expect(error.message).toMatch(/could not start ffmpeg/);
  });

  it('returns stdout and gives ffmpeg no environment of ours', async () => {
    const { stdout } = await runFfmpeg(ffmpeg.path, ['-version'], { timeoutMs: 20_000 });
    expect(stdout.toString('utf8')).toMatch(/^ffmpeg version /);

    const envDump = join(directory, 'env-dump');
    const script = join(directory, 'env-ffmpeg');
    await writeFile(script, `#!/bin/sh\n/usr/bin/env > '${envDump}'\n`);
    await chmod(script, 0o755);
    process.env.VIDEO_TEST_SECRET = 'must-not-leak';
    try {
      await runFfmpeg(script, [], { timeoutMs: 5_000 });
    } finally {
      delete process.env.VIDEO_TEST_SECRET;
    }
    const seen = await readFile(envDump, 'utf8');
    expect(seen).not.toContain('must-not-leak');
    expect(seen).not.toContain('HOME=');
  });
});
