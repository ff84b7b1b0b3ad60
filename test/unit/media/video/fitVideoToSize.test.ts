import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIT_RULES, fitVideoToSize, planFit, planRetry } from '../../../../src/media/video/fitVideoToSize.js';
import type { FfmpegBinary } from '../../../../src/media/video/locateFfmpeg.js';
import { probeVideo } from '../../../../src/media/video/probeVideo.js';
import { VideoError } from '../../../../src/media/video/videoError.js';
import { makeClip, testFfmpeg } from '../../../support/videoClips.js';

const KIB = 1024;
const MIB = 1024 * 1024;

async function rejection(run: Promise<unknown>): Promise<VideoError> {
  const error: unknown = await run.then(
    () => new Error('expected the fit to fail'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(VideoError);
  return error as VideoError;
}

describe('fitVideoToSize', () => {
  let ffmpeg: FfmpegBinary;
  let scratch: string;
  /** 2 s of 320x240 at 25 fps with a tone, lossless: far too big for the budgets below. */
  let small: Buffer;
  /** The same at 1280x720. */
  let hd: Buffer;

  beforeAll(async () => {
    ffmpeg = await testFfmpeg();
    scratch = await mkdtemp(join(tmpdir(), 'fit-video-test-'));
    small = await makeClip(ffmpeg, { width: 320, height: 240, fps: 25, patternSeconds: 2, audioSeconds: 2, lossless: true });
    hd = await makeClip(ffmpeg, { width: 1280, height: 720, fps: 25, patternSeconds: 2, audioSeconds: 2, lossless: true });
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('returns a video that already fits untouched', async () => {
    const sample = await readFile(new URL('../../../fixtures/sample.mp4', import.meta.url));
    const fitted = await fitVideoToSize(ffmpeg, sample, 10 * MIB);
    expect(fitted.bytes).toBe(sample);
    expect(fitted).toMatchObject({ reencoded: false, attempts: 0, width: 160, height: 120, fps: 8, hasAudio: false });
  });

  it('re-encodes under the limit at the same size, frame rate and length, audio kept', async () => {
    const maxBytes = 150 * KIB;
    expect(small.length).toBeGreaterThan(maxBytes);

    const fitted = await fitVideoToSize(ffmpeg, small, maxBytes, { tempParent: scratch });

    expect(fitted.bytes.length).toBeLessThanOrEqual(maxBytes);
    expect(fitted).toMatchObject({ reencoded: true, width: 320, height: 240, fps: 25, hasAudio: true });
    const probed = await probeVideo(ffmpeg, fitted.bytes);
    expect(probed).toMatchObject({ width: 320, height: 240, fps: 25, frameCount: 50, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac' });
    expect(probed.durationSeconds).toBeCloseTo(2, 0);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('steps down to 360p when 720p would get too few bits per pixel', async () => {
    const maxBytes = 100 * KIB;
    const fitted = await fitVideoToSize(ffmpeg, hd, maxBytes);
    expect(fitted.bytes.length).toBeLessThanOrEqual(maxBytes);
    expect(fitted).toMatchObject({ width: 640, height: 360, fps: 25, hasAudio: true });
    expect(fitted.plan).toMatchObject({ width: 640, height: 360, audioKbps: FIT_RULES.lowAudioKbps });
    expect(await probeVideo(ffmpeg, fitted.bytes)).toMatchObject({ width: 640, height: 360, frameCount: 50, hasAudio: true });
  });

  it('refuses a budget no resolution can meet', async () => {
    const error = await rejection(fitVideoToSize(ffmpeg, small, 20 * KIB, { tempParent: scratch }));
    expect(error.reason).toBe('cannot_fit');
    expect(await readdir(scratch)).toEqual([]);
  });

  it('kills a slow encode at its time limit and still cleans up', async () => {
    const error = await rejection(fitVideoToSize(ffmpeg, hd, 100 * KIB, { timeoutMs: 50, tempParent: scratch }));
    expect(error.reason).toBe('timeout');
    expect(await readdir(scratch)).toEqual([]);
  });

  it('calls bytes that are not a video unreadable', async () => {
    const error = await rejection(fitVideoToSize(ffmpeg, Buffer.alloc(200 * KIB, 7), 100 * KIB));
    expect(error.reason).toBe('unreadable');
  });
});

describe('planFit', () => {
  const clip = (width: number, height: number, durationSeconds = 10, hasAudio = true) => ({
    width,
    height,
    durationSeconds,
    fps: 24,
    hasAudio,
  });

  it('keeps 1080p when 10 MiB gives it enough bits', () => {
    // 10 MiB × 8 × 0.92 / 10 s = 7717 kb/s, 96 of them for audio.
    expect(planFit(clip(1920, 1080), 10 * MIB)).toEqual({ width: 1920, height: 1080, videoKbps: 7621, audioKbps: 96 });
  });

  it('keeps 720p for 10 s in 2 MiB (0.065 bits per pixel)', () => {
    expect(planFit(clip(1280, 720), 2 * MIB)).toEqual({ width: 1280, height: 720, videoKbps: 1447, audioKbps: 96 });
  });

  it('steps 1080p down past 720p to 480p when 1 MiB must hold 10 s', () => {
    // 675 kb/s: 0.014 bits per pixel at 1080p, 0.031 at 720p, 0.069 at 480p.
    expect(planFit(clip(1920, 1080), 1 * MIB)).toEqual({ width: 854, height: 480, videoKbps: 675, audioKbps: 96 });
  });

  it('steps by the short side, so a portrait video keeps its shape', () => {
    expect(planFit(clip(1080, 1920), 1 * MIB)).toMatchObject({ width: 480, height: 854 });
  });

  it('gives the whole budget to video when there is no audio, and less to audio when the budget is small', () => {
    expect(planFit(clip(1280, 720, 10, false), 2 * MIB).audioKbps).toBe(0);
    expect(planFit(clip(640, 360), 600 * KIB).audioKbps).toBe(FIT_RULES.lowAudioKbps);
  });

  it('uses 360p when nothing reaches the density, and refuses below 100 kb/s of video', () => {
    // 300 KiB: 178 kb/s of video, 0.032 bits per pixel even at 360p.
    expect(planFit(clip(1920, 1080), 300 * KIB)).toEqual({ width: 640, height: 360, videoKbps: 178, audioKbps: 48 });
    expect(() => planFit(clip(1920, 1080), 150 * KIB)).toThrow(VideoError);
  });

  it('never scales up', () => {
    expect(planFit(clip(320, 240), 10 * MIB)).toMatchObject({ width: 320, height: 240 });
  });
});

describe('planRetry', () => {
  it('goes one rung down and cuts the bitrate by the overshoot', () => {
    const first = { width: 1280, height: 720, videoKbps: 1000, audioKbps: 96 };
    expect(planRetry({ width: 1280, height: 720 }, first, 2 * MIB, 2.5 * MIB)).toEqual({
      width: 854,
      height: 480,
      videoKbps: 760,
      audioKbps: 96,
    });
  });

  it('stays at the bottom rung when already there', () => {
    const first = { width: 640, height: 360, videoKbps: 400, audioKbps: 48 };
    expect(planRetry({ width: 1920, height: 1080 }, first, MIB, 1.1 * MIB)).toMatchObject({ width: 640, height: 360 });
  });
});
