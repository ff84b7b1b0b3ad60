import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinClips, joinFilterArgs } from '../../../../src/media/video/joinClips.js';
import type { FfmpegBinary } from '../../../../src/media/video/locateFfmpeg.js';
import { probeVideo } from '../../../../src/media/video/probeVideo.js';
import { VideoError } from '../../../../src/media/video/videoError.js';
import { frameColors, isNear, makeClip, testFfmpeg } from '../../../support/videoClips.js';

const sample = () => readFile(new URL('../../../fixtures/sample.mp4', import.meta.url));

describe('joinClips', () => {
  let ffmpeg: FfmpegBinary;
  let scratch: string;
  /** 160x120 at 10 fps, 1 s, with a tone: 9 frames of pattern, then one red frame. */
  let first: Buffer;
  /** 320x200 at 25 fps, 1 s, silent: the red frame the first clip ended on, then blue. */
  let second: Buffer;

  beforeAll(async () => {
    ffmpeg = await testFfmpeg();
    scratch = await mkdtemp(join(tmpdir(), 'join-clips-test-'));
    first = await makeClip(ffmpeg, { width: 160, height: 120, fps: 10, patternSeconds: 0.9, tail: [{ color: 'red', frames: 1 }], audioSeconds: 1 });
    second = await makeClip(ffmpeg, { width: 320, height: 200, fps: 25, patternSeconds: 0, head: [{ color: 'red', frames: 1 }], tail: [{ color: 'blue', frames: 24 }] });
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("plays the second clip at the first one's size and rate, without its repeated first frame", async () => {
    const joined = await joinClips(ffmpeg, first, second, { tempParent: scratch });
    const probed = await probeVideo(ffmpeg, joined.bytes);

    expect(joined).toMatchObject({ width: 160, height: 120, fps: 10, hasAudio: true });
    expect(probed).toMatchObject({ width: 160, height: 120, fps: 10, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac' });
    // 10 frames + 10 frames (the second clip at 10 fps) − the duplicate.
    expect(probed.frameCount).toBe(19);
    expect(Math.abs(probed.durationSeconds - (1 + 1 - 0.1))).toBeLessThanOrEqual(0.1);

    const colors = await frameColors(ffmpeg, joined.bytes);
    expect(colors).toHaveLength(19);
    expect(isNear(colors[9] ?? [], [255, 0, 0])).toBe(true);
    // The seam: straight from the first clip's red frame to blue, no second red frame.
    const afterSeam = colors.slice(10);
    expect(afterSeam.every(([red, green, blue]) => blue > 150 && red < 40 && green < 40)).toBe(true);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('gives a silent first clip silence when only the second has audio', async () => {
    const silentFirst = await sample();
    const voicedSecond = await makeClip(ffmpeg, { width: 160, height: 120, fps: 8, patternSeconds: 1, audioSeconds: 1 });
    const joined = await joinClips(ffmpeg, silentFirst, voicedSecond);
    const probed = await probeVideo(ffmpeg, joined.bytes);
    expect(probed).toMatchObject({ width: 160, height: 120, fps: 8, frameCount: 15, hasAudio: true, audioCodec: 'aac' });
    expect(Math.abs(probed.durationSeconds - (2 - 1 / 8))).toBeLessThanOrEqual(1 / 8);
  });

  it('joins two silent clips into a silent one', async () => {
    const clip = await sample();
    const joined = await joinClips(ffmpeg, clip, clip);
    const probed = await probeVideo(ffmpeg, joined.bytes);
    expect(probed).toMatchObject({ width: 160, height: 120, fps: 8, frameCount: 15, hasAudio: false });
    expect(Math.abs(probed.durationSeconds - 1.875)).toBeLessThanOrEqual(1 / 8);
  });

  it('calls a second clip that is not a video unreadable', async () => {
    const error: unknown = await joinClips(ffmpeg, first, Buffer.from('nope')).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(VideoError);
    expect((error as VideoError).reason).toBe('unreadable');
  });
});

describe('joinFilterArgs', () => {
  const clip = { width: 1280, height: 720, fps: 23.98, frameCount: 120, durationSeconds: 5.02, hasAudio: true };

  it('keeps the NTSC rate exact and trims one frame of the second clip from video and audio', () => {
    const [flag, graph, ...maps] = joinFilterArgs(clip, { ...clip, width: 1920, height: 1080, hasAudio: true });
    expect(flag).toBe('-filter_complex');
    expect(maps).toEqual(['-map', '[v]', '-map', '[a]']);
    expect(graph).toContain('fps=24000/1001');
    expect(graph).toContain('scale=1280:720:force_original_aspect_ratio=decrease');
    expect(graph).toContain('trim=start_frame=1');
    expect(graph).toContain(`atrim=start=${(1 / 23.98).toFixed(6)}`);
    // Each clip's audio is cut to its video: 120 frames at 23.98 fps, minus a frame for the second.
    expect(graph).toContain(`atrim=end=${(120 / 23.98).toFixed(6)}[a0]`);
    expect(graph).toContain(`atrim=end=${(120 / 23.98 - 1 / 23.98).toFixed(6)}[a1]`);
  });

  it('maps no audio when neither clip has any', () => {
    const silent = { ...clip, hasAudio: false };
    const args = joinFilterArgs(silent, silent);
    expect(args.slice(2)).toEqual(['-map', '[v]']);
    expect(args[1]).not.toContain('anullsrc');
  });
});
