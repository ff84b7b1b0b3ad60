import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FfmpegBinary } from './locateFfmpeg.js';
import { type VideoInfo, frameRateExpression, probeVideo } from './probeVideo.js';
import { mp4InputArgs, outputPath, runFfmpeg } from './runFfmpeg.js';
import { withTempDirectory } from './tempDirectory.js';
import { VideoError } from './videoError.js';
import type { VideoOperationOptions } from './videoOptions.js';

/**
 * How a video is shrunk to a byte budget (FIT_RULES below, one rule each):
 *
 * 1. Budget: `maxBytes × 8 × 0.92` bits over the duration. The 8 % left over
 *    covers the MP4 index and x264's rate-control overshoot.
 * 2. Audio (kept whenever the source has it): AAC at 96 kb/s, or 48 kb/s when
 *    the whole budget is under 500 kb/s.
 * 3. Video gets the rest, and needs at least 100 kb/s: below that no size is
 *    watchable and we say `cannot_fit` instead of sending mush.
 * 4. Resolution, by the short side, down the ladder source → 1080 → 720 → 480
 *    → 360: the first rung where the video gets at least 0.05 bits per pixel
 *    per frame. Below that density H.264 turns blocky, and fewer, cleaner
 *    pixels look better than many smeared ones. Nothing is ever scaled up; if
 *    no rung reaches the density, 360 is used anyway.
 * 5. The result is measured. If it is still over, one more try one rung lower,
 *    with the bitrate scaled down by how much the first try overshot.
 */
export const FIT_RULES = {
  headroom: 0.92,
  audioKbps: 96,
  lowAudioKbps: 48,
  lowAudioBelowKbps: 500,
  minVideoKbps: 100,
  minBitsPerPixel: 0.05,
  ladder: [1080, 720, 480, 360],
} as const;

export interface FitPlan {
  width: number;
  height: number;
  videoKbps: number;
  /** 0 when the source has no audio. */
  audioKbps: number;
}

export interface FittedVideo {
  bytes: Buffer;
  width: number;
  height: number;
  durationSeconds: number;
  fps: number;
  hasAudio: boolean;
  /** False when the source already fitted and is returned untouched. */
  reencoded: boolean;
  /** Encodes run: 0 (already fitted), 1 or 2. */
  attempts: number;
  /** The last plan used, for logs; undefined when nothing was encoded. */
  plan: FitPlan | undefined;
}

const DEFAULT_ENCODE_TIMEOUT_MS = 240_000;
/**
 * x264's "fast" preset: on the small CPUs a bot runs on, "medium" costs about a
 * third more time for a few percent less size at the same quality.
 */
const X264_PRESET = 'fast';

/**
 * Re-encodes an MP4 (H.264 + AAC, audio kept when present) so it fits in
 * `maxBytes`, keeping the resolution while the bitrate allows and stepping down
 * by FIT_RULES otherwise. A video that already fits is returned as is. Throws
 * VideoError: `cannot_fit` when even the last try is too big or the budget is
 * hopeless, `unreadable`, `timeout`, `ffmpeg_failed`.
 */
export async function fitVideoToSize(
  ffmpeg: FfmpegBinary,
  mp4: Buffer,
  maxBytes: number,
  options: VideoOperationOptions = {},
): Promise<FittedVideo> {
  return withTempDirectory(options.tempParent, async (directory) => {
    const sourcePath = join(directory, 'source.mp4');
    await writeFile(sourcePath, mp4);
    const source = await probeVideo(ffmpeg, sourcePath, options);
    const summary = { durationSeconds: source.durationSeconds, fps: source.fps, hasAudio: source.hasAudio };

    if (mp4.length <= maxBytes) {
      return { bytes: mp4, width: source.width, height: source.height, ...summary, reencoded: false, attempts: 0, plan: undefined };
    }

    let plan = planFit(source, maxBytes);
    for (let attempt = 1; ; attempt += 1) {
      const resultPath = join(directory, `fitted-${attempt}.mp4`);
      await encode(ffmpeg, sourcePath, resultPath, source, plan, maxBytes, options);
      const sizeBytes = (await stat(resultPath)).size;
      if (sizeBytes <= maxBytes) {
        const result = await probeVideo(ffmpeg, resultPath, options);
        return {
          bytes: await readFile(resultPath),
          width: result.width,
          height: result.height,
          durationSeconds: result.durationSeconds,
          fps: result.fps,
          hasAudio: result.hasAudio,
          reencoded: true,
          attempts: attempt,
          plan,
        };
      }
      if (attempt === 2) {
        throw new VideoError(
          'cannot_fit',
          `a ${source.width}x${source.height} ${source.durationSeconds} s video came out at ${sizeBytes} bytes at ` +
            `${plan.width}x${plan.height} ${plan.videoKbps} kb/s, over ${maxBytes}`,
        );
      }
      plan = planRetry(source, plan, maxBytes, sizeBytes);
    }
  });
}

/** Rules 1–4 of FIT_RULES for the first try. Throws `cannot_fit` when rule 3 fails. */
export function planFit(source: Pick<VideoInfo, 'durationSeconds' | 'width' | 'height' | 'fps' | 'hasAudio'>, maxBytes: number): FitPlan {
  if (!(source.durationSeconds > 0)) throw new VideoError('unreadable', 'the video has no duration');
  const totalKbps = (maxBytes * 8 * FIT_RULES.headroom) / source.durationSeconds / 1000;
  const audioKbps = !source.hasAudio ? 0 : totalKbps < FIT_RULES.lowAudioBelowKbps ? FIT_RULES.lowAudioKbps : FIT_RULES.audioKbps;
  const videoKbps = Math.floor(totalKbps - audioKbps);
  if (videoKbps < FIT_RULES.minVideoKbps) {
    throw new VideoError(
      'cannot_fit',
      `${maxBytes} bytes over ${source.durationSeconds} s leaves ${videoKbps} kb/s for video, under ${FIT_RULES.minVideoKbps}`,
    );
  }

  const rungs = ladderFor(source);
  const chosen =
    rungs.find((rung) => {
      const { width, height } = scaledTo(source, rung);
      return (videoKbps * 1000) / (width * height * source.fps) >= FIT_RULES.minBitsPerPixel;
    }) ?? rungs.at(-1);
  return { ...scaledTo(source, chosen ?? shortSide(source)), videoKbps, audioKbps };
}

/** Rule 5: one rung below the last try, the bitrate cut by the overshoot (and 5 % more). */
export function planRetry(
  source: Pick<VideoInfo, 'width' | 'height'>,
  previous: FitPlan,
  maxBytes: number,
  producedBytes: number,
): FitPlan {
  const previousShort = Math.min(previous.width, previous.height);
  const lower = ladderFor(source).find((rung) => rung < previousShort) ?? previousShort;
  const videoKbps = Math.floor(previous.videoKbps * (maxBytes / producedBytes) * 0.95);
  if (videoKbps < FIT_RULES.minVideoKbps) {
    throw new VideoError('cannot_fit', `a retry would leave ${videoKbps} kb/s for video, under ${FIT_RULES.minVideoKbps}`);
  }
  return { ...scaledTo(source, lower), videoKbps, audioKbps: previous.audioKbps };
}

/** The source's own short side first, then every smaller ladder rung. */
function ladderFor(source: Pick<VideoInfo, 'width' | 'height'>): number[] {
  const own = shortSide(source);
  return [own, ...FIT_RULES.ladder.filter((rung) => rung < own)];
}

function shortSide(source: Pick<VideoInfo, 'width' | 'height'>): number {
  return Math.min(source.width, source.height);
}

/** The source's shape with its short side at `short` px; both sides even, as yuv420p requires. */
function scaledTo(source: Pick<VideoInfo, 'width' | 'height'>, short: number): { width: number; height: number } {
  const even = (value: number) => Math.max(2, 2 * Math.round(value / 2));
  if (short >= shortSide(source)) return { width: even(source.width), height: even(source.height) };
  const factor = short / shortSide(source);
  return { width: even(source.width * factor), height: even(source.height * factor) };
}

async function encode(
  ffmpeg: FfmpegBinary,
  sourcePath: string,
  resultPath: string,
  source: VideoInfo,
  plan: FitPlan,
  maxBytes: number,
  options: VideoOperationOptions,
): Promise<void> {
  const audio = plan.audioKbps > 0 ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', `${plan.audioKbps}k`, '-ac', '2'] : ['-an'];
  const args = [
    ...mp4InputArgs(sourcePath),
    '-map', '0:v:0',
    '-vf', `scale=${plan.width}:${plan.height},setsar=1`,
    '-r', frameRateExpression(source.fps),
    '-c:v', 'libx264',
    '-preset', X264_PRESET,
    '-pix_fmt', 'yuv420p',
    // A VBV cap at the target keeps single-pass ABR from spending the budget early.
    '-b:v', `${plan.videoKbps}k`,
    '-maxrate', `${plan.videoKbps}k`,
    '-bufsize', `${plan.videoKbps * 2}k`,
    ...audio,
    '-sn', '-dn',
    '-map_metadata', '-1',
    '-movflags', '+faststart',
    // A disk guard, not the fit test: a runaway encode stops at twice the budget.
    '-fs', String(maxBytes * 2),
    '-y', outputPath(resultPath),
  ];
  await runFfmpeg(ffmpeg.path, args, { timeoutMs: options.timeoutMs ?? DEFAULT_ENCODE_TIMEOUT_MS });
}
