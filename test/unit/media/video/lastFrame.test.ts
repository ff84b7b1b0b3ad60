import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastFrame } from '../../../../src/media/video/lastFrame.js';
import type { FfmpegBinary } from '../../../../src/media/video/locateFfmpeg.js';
import { VideoError } from '../../../../src/media/video/videoError.js';
import { isNear, makeClip, testFfmpeg } from '../../../support/videoClips.js';

/** Format, size and the colour of the centre pixel. */
async function describePng(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const centre = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
  const metadata = await sharp(png).metadata();
  return { format: metadata.format, width: info.width, height: info.height, centre: [...data.subarray(centre, centre + 3)] };
}

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const YELLOW = [255, 255, 0];

describe('lastFrame', () => {
  let ffmpeg: FfmpegBinary;
  let scratch: string;

  beforeAll(async () => {
    ffmpeg = await testFfmpeg();
    scratch = await mkdtemp(join(tmpdir(), 'last-frame-test-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('returns the very last frame, not the last second or keyframe', async () => {
    // A red last second, then one blue frame: only an exact last frame is blue.
    const clip = await makeClip(ffmpeg, {
      width: 160,
      height: 120,
      fps: 10,
      patternSeconds: 1,
      tail: [
        { color: 'red', frames: 9 },
        { color: 'blue', frames: 1 },
      ],
    });
    const png = await lastFrame(ffmpeg, clip, { tempParent: scratch });
    const described = await describePng(png);
    expect(described).toMatchObject({ format: 'png', width: 160, height: 120 });
    expect(isNear(described.centre, BLUE)).toBe(true);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('returns the solid colour a clip ends on', async () => {
    const clip = await makeClip(ffmpeg, { width: 160, height: 120, fps: 25, patternSeconds: 1, tail: [{ color: 'red', frames: 25 }], audioSeconds: 2 });
    expect(isNear((await describePng(await lastFrame(ffmpeg, clip))).centre, RED)).toBe(true);
  });

  it('finds the last frame when the audio runs on past the video', async () => {
    // The final second holds no video, so the quick seek finds nothing and the whole clip is decoded.
    const clip = await makeClip(ffmpeg, {
      width: 160,
      height: 120,
      fps: 10,
      patternSeconds: 1,
      tail: [{ color: 'yellow', frames: 1 }],
      audioSeconds: 3,
    });
    expect(isNear((await describePng(await lastFrame(ffmpeg, clip))).centre, YELLOW)).toBe(true);
  });

  it('handles a clip shorter than a second', async () => {
    const clip = await makeClip(ffmpeg, {
      width: 160,
      height: 120,
      fps: 10,
      patternSeconds: 0,
      tail: [
        { color: 'red', frames: 2 },
        { color: 'blue', frames: 1 },
      ],
    });
    expect(isNear((await describePng(await lastFrame(ffmpeg, clip))).centre, BLUE)).toBe(true);
  });

  it('reads the sample fixture', async () => {
    const png = await lastFrame(ffmpeg, await readFile(new URL('../../../fixtures/sample.mp4', import.meta.url)));
    expect(await describePng(png)).toMatchObject({ format: 'png', width: 160, height: 120 });
  });

  it('calls bytes that are not a video unreadable', async () => {
    const error: unknown = await lastFrame(ffmpeg, Buffer.from('nope')).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(VideoError);
    expect((error as VideoError).reason).toBe('unreadable');
  });
});
