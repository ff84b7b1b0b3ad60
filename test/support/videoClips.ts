import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FfmpegBinary, locateFfmpeg } from '../../src/media/video/locateFfmpeg.js';
import { mp4InputArgs, runFfmpeg } from '../../src/media/video/runFfmpeg.js';

/**
 * Test videos made by ffmpeg itself from its lavfi sources: small, a few
 * seconds at most, and with known content (a colour that ends the clip, a
 * 440 Hz tone) so the tests can check what came out.
 */

/** The ffmpeg these tests run: whatever locateFfmpeg finds, which must be something. */
export async function testFfmpeg(): Promise<FfmpegBinary> {
  // A test may read PATH: the rule against raw environment reads is for src/.
  const found = await locateFfmpeg({ searchPath: process.env.PATH });
  if (found === undefined) throw new Error('no ffmpeg for the video tests (neither on PATH nor from @ffmpeg-installer/ffmpeg)');
  return found;
}

export interface ClipSpec {
  width: number;
  height: number;
  fps: number;
  /** The moving test pattern's length. */
  patternSeconds: number;
  /** Solid colours after the pattern, in order, each for a number of frames. */
  tail?: ReadonlyArray<{ color: string; frames: number }>;
  /** Solid colours before the pattern, in order, each for a number of frames. */
  head?: ReadonlyArray<{ color: string; frames: number }>;
  /** A 440 Hz tone of this length; none when absent. */
  audioSeconds?: number;
  /** Lossless H.264 (a big file, for the fit tests); otherwise CRF 23. */
  lossless?: boolean;
}

export async function makeClip(ffmpeg: FfmpegBinary, spec: ClipSpec): Promise<Buffer> {
  const size = `${spec.width}x${spec.height}`;
  const parts = [
    ...(spec.head ?? []).map(({ color, frames }) => solid(color, frames, size, spec.fps)),
    ...(spec.patternSeconds > 0 ? [`testsrc2=size=${size}:rate=${spec.fps}:duration=${spec.patternSeconds}`] : []),
    ...(spec.tail ?? []).map(({ color, frames }) => solid(color, frames, size, spec.fps)),
  ];
  const labelled = parts.map((part, index) => `${part}[p${index}]`);
  const graph = `${labelled.join(';')};${parts.map((_, index) => `[p${index}]`).join('')}concat=n=${parts.length}:v=1:a=0`;

  const directory = await mkdtemp(join(tmpdir(), 'video-clip-test-'));
  try {
    const path = join(directory, 'clip.mp4');
    const audio =
      spec.audioSeconds === undefined
        ? []
        : ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${spec.audioSeconds}`];
    await runFfmpeg(
      ffmpeg.path,
      [
        '-f', 'lavfi', '-i', graph,
        ...audio,
        '-c:v', 'libx264', '-preset', 'ultrafast',
        ...(spec.lossless === true ? ['-qp', '0'] : ['-crf', '23']),
        '-pix_fmt', 'yuv420p',
        ...(spec.audioSeconds === undefined ? [] : ['-c:a', 'aac', '-b:a', '128k']),
        '-y', path,
      ],
      { timeoutMs: 60_000 },
    );
    return await readFile(path);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function solid(color: string, frames: number, size: string, fps: number): string {
  return `color=c=${color}:size=${size}:rate=${fps}:duration=${frames / fps}`;
}

/** The average colour of every frame, in order: each frame scaled to one pixel. */
export async function frameColors(ffmpeg: FfmpegBinary, mp4: Buffer): Promise<Array<[number, number, number]>> {
  const directory = await mkdtemp(join(tmpdir(), 'video-frames-test-'));
  try {
    const path = join(directory, 'video.mp4');
    await writeFile(path, mp4);
    const { stdout } = await runFfmpeg(
      ffmpeg.path,
      [...mp4InputArgs(path), '-map', '0:v:0', '-vsync', 'passthrough', '-vf', 'scale=1:1:flags=area', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
      { timeoutMs: 60_000 },
    );
    const colors: Array<[number, number, number]> = [];
    for (let offset = 0; offset + 3 <= stdout.length; offset += 3) {
      colors.push([stdout[offset] ?? 0, stdout[offset + 1] ?? 0, stdout[offset + 2] ?? 0]);
    }
    return colors;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Roughly this colour: codecs shift solid colours by a few levels. */
export function isNear(actual: readonly number[], expected: readonly number[], tolerance = 24): boolean {
  return actual.length === expected.length && actual.every((value, index) => Math.abs(value - (expected[index] ?? 0)) <= tolerance);
}
