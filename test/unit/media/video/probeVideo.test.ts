import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FfmpegBinary } from '../../../../src/media/video/locateFfmpeg.js';
import { frameRateExpression, parseProbeOutput, probeVideo } from '../../../../src/media/video/probeVideo.js';
import { mp4InputArgs, runFfmpeg } from '../../../../src/media/video/runFfmpeg.js';
import { VideoError } from '../../../../src/media/video/videoError.js';
import { makeClip, testFfmpeg } from '../../../support/videoClips.js';

const fixture = () => readFile(new URL('../../../fixtures/sample.mp4', import.meta.url));

async function rejection(run: Promise<unknown>): Promise<VideoError> {
  const error: unknown = await run.then(
    () => new Error('expected the probe to fail'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(VideoError);
  return error as VideoError;
}

describe('probeVideo', () => {
  let ffmpeg: FfmpegBinary;
  let directory: string;

  beforeAll(async () => {
    ffmpeg = await testFfmpeg();
    directory = await mkdtemp(join(tmpdir(), 'probe-video-test-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('describes the sample fixture (160x120, 8 fps, 1 s, no audio)', async () => {
    expect(await probeVideo(ffmpeg, await fixture())).toEqual({
      durationSeconds: 1,
      width: 160,
      height: 120,
      fps: 8,
      frameCount: 8,
      hasAudio: false,
      videoCodec: 'h264',
      audioCodec: undefined,
    });
  });

  it('reads a file path as well as bytes, and leaves no scratch folder behind', async () => {
    const path = join(directory, 'with-audio.mp4');
    await writeFile(path, await makeClip(ffmpeg, { width: 320, height: 240, fps: 25, patternSeconds: 2, audioSeconds: 2 }));
    const scratch = await mkdtemp(join(directory, 'scratch-'));

    const fromPath = await probeVideo(ffmpeg, path);
    const fromBytes = await probeVideo(ffmpeg, await readFile(path), { tempParent: scratch });

    expect(fromBytes).toEqual(fromPath);
    expect(fromPath).toMatchObject({ width: 320, height: 240, fps: 25, frameCount: 50, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac' });
    // AAC adds its priming samples; the video itself is exactly 2 s.
    expect(fromPath.durationSeconds).toBeGreaterThanOrEqual(2);
    expect(fromPath.durationSeconds).toBeLessThan(2.1);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('calls bytes that are not an MP4 unreadable', async () => {
    const error = await rejection(probeVideo(ffmpeg, Buffer.from('definitely not a video')));
    expect(error.reason).toBe('unreadable');
  });

  it('does not follow a playlist disguised as an MP4', async () => {
    // Left to guess the format, ffmpeg reads this as HLS and happily probes the
    // local file it names; only the forced MP4 demuxer stops that.
    const target = join(directory, 'target.mp4');
    await writeFile(target, await fixture());
    const playlist = `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile://${target}\n#EXT-X-ENDLIST\n`;
    const error = await rejection(probeVideo(ffmpeg, Buffer.from(playlist)));
    expect(error.reason).toBe('unreadable');
    expect(error.stderrTail).toContain('moov atom not found');
  });

  it('calls an MP4 with only audio unreadable', async () => {
    const path = join(directory, 'audio-only.mp4');
    const clip = await makeClip(ffmpeg, { width: 160, height: 120, fps: 10, patternSeconds: 1, audioSeconds: 1 });
    await writeFile(path, clip);
    // Strip the video with a stream copy: same container, audio only.
    const audioOnly = join(directory, 'audio-only-out.mp4');
    await runFfmpeg(ffmpeg.path, [...mp4InputArgs(path), '-map', '0:a', '-c', 'copy', '-y', audioOnly], { timeoutMs: 20_000 });
    const error = await rejection(probeVideo(ffmpeg, audioOnly));
    expect(error.reason).toBe('unreadable');
    expect(error.message).toBe('the file has no video stream');
  });
});

describe('parseProbeOutput', () => {
  // ffmpeg 6.1 wording (stream ids in brackets, "(progressive)", per-stream "tbn" only).
  const ffmpeg6 = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/tmp/x/probe.mp4':
  Metadata:
    major_brand     : isom
  Duration: 00:00:05.04, start: 0.000000, bitrate: 2411 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 1280x720 [SAR 1:1 DAR 16:9], 2270 kb/s, 23.98 fps, 23.98 tbr, 24k tbn (default)
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 128 kb/s (default)
Stream mapping:
  Stream #0:0 -> #0:0 (copy)
Output #0, null, to 'pipe:':
  Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 640x360, q=2-31, 12 fps
[out#0/null @ 0x55] video:1397kB audio:79kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
frame=  121 fps=0.0 q=-1.0 Lsize=N/A time=00:00:05.00 bitrate=N/A speed=1.2e+03x
`;

  it('reads the input section only, in ffmpeg 6 wording', () => {
    expect(parseProbeOutput(ffmpeg6)).toEqual({
      durationSeconds: 5.04,
      width: 1280,
      height: 720,
      fps: 23.98,
      frameCount: 121,
      hasAudio: true,
      videoCodec: 'h264',
      audioCodec: 'aac',
    });
  });

  it('falls back to frames over rate when the duration is N/A, and to tbr when fps is missing', () => {
    const text = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x':
  Duration: N/A, bitrate: N/A
    Stream #0:0: Video: h264, yuv420p, 64x48, 10 tbr, 10240 tbn
frame=   25
`;
    expect(parseProbeOutput(text)).toMatchObject({ durationSeconds: 2.5, fps: 10, width: 64, height: 48, hasAudio: false });
  });
});

describe('parseProbeOutput rotation', () => {
  const rotated = (sideData: string) => `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x':
  Duration: 00:00:03.00, start: 0.000000, bitrate: 900 kb/s
    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 1920x1080, 800 kb/s, 30 fps, 30 tbr, 15360 tbn (default)
    Metadata:
${sideData}
    Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 96 kb/s (default)
    Metadata:
      rotate          : 90
`;

  it('reports a quarter-turned video as displayed', () => {
    expect(parseProbeOutput(rotated('      rotate          : 90\n    Side data:\n      displaymatrix: rotation of -90.00 degrees'))).toMatchObject({
      width: 1080,
      height: 1920,
    });
    expect(parseProbeOutput(rotated('      rotate          : 270'))).toMatchObject({ width: 1080, height: 1920 });
  });

  it('keeps the stored size for a half turn, and ignores tags of other streams', () => {
    expect(parseProbeOutput(rotated('    Side data:\n      displaymatrix: rotation of -180.00 degrees'))).toMatchObject({
      width: 1920,
      height: 1080,
    });
    expect(parseProbeOutput(rotated('      handler_name    : VideoHandler'))).toMatchObject({ width: 1920, height: 1080 });
  });
});

describe('frameRateExpression', () => {
  it.each([
    [23.98, '24000/1001'],
    [29.97, '30000/1001'],
    [59.94, '60000/1001'],
    [24, '24'],
    [12.5, '12.5'],
  ])('%d fps → %s', (fps, expression) => {
    expect(frameRateExpression(fps)).toBe(expression);
  });
});
