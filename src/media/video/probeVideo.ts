import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FfmpegBinary } from './locateFfmpeg.js';
import { mp4InputArgs, runFfmpeg } from './runFfmpeg.js';
import { withTempDirectory } from './tempDirectory.js';
import { VideoError } from './videoError.js';
import type { VideoOperationOptions } from './videoOptions.js';

export interface VideoInfo {
  /** The container's duration (the longer of video and audio), to 10 ms. */
  durationSeconds: number;
  /** As displayed: a phone video stored 1920x1080 and turned a quarter reads 1080x1920, as ffmpeg's filters see it. */
  width: number;
  height: number;
  /** The average frame rate as ffmpeg prints it: 24, 25, 29.97 (see frameRateExpression for the exact rate). */
  fps: number;
  /** Video frames counted by reading the whole file; 0 when ffmpeg did not report them. */
  frameCount: number;
  hasAudio: boolean;
  /** ffmpeg's codec names: 'h264', 'hevc', 'aac'… */
  videoCodec: string;
  audioCodec: string | undefined;
}

const DEFAULT_PROBE_TIMEOUT_MS = 20_000;

/**
 * What is in an MP4, with ffmpeg alone (the npm build ships no ffprobe): the
 * file is read through once with stream copy into the null muxer, which is
 * cheap, proves the whole file is readable and makes ffmpeg count the frames.
 */
export async function probeVideo(
  ffmpeg: FfmpegBinary,
  input: string | Buffer,
  options: VideoOperationOptions = {},
): Promise<VideoInfo> {
  if (typeof input === 'string') return probeFile(ffmpeg, input, options);
  return withTempDirectory(options.tempParent, async (directory) => {
    const path = join(directory, 'probe.mp4');
    await writeFile(path, input);
    return probeFile(ffmpeg, path, options);
  });
}

async function probeFile(ffmpeg: FfmpegBinary, path: string, options: VideoOperationOptions): Promise<VideoInfo> {
  const args = [...mp4InputArgs(path), '-map', '0:v:0?', '-map', '0:a:0?', '-c', 'copy', '-f', 'null', '-'];
  let stderr: string;
  try {
    ({ stderr } = await runFfmpeg(ffmpeg.path, args, { timeoutMs: options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS }));
  } catch (error) {
    if (error instanceof VideoError && error.reason === 'ffmpeg_failed') {
      throw new VideoError('unreadable', 'ffmpeg could not read the video', { stderrTail: error.stderrTail, cause: error });
    }
    throw error;
  }
  return parseProbeOutput(stderr);
}

/**
 * Reads ffmpeg's description of input #0 (only: the null output's streams are
 * described again below it). Written against ffmpeg 4.1 and 6/7 wording:
 * `Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 160x120 [SAR 1:1 DAR 4:3], 35 kb/s, 8 fps, 8 tbr, …`
 */
export function parseProbeOutput(stderr: string): VideoInfo {
  const inputStart = stderr.indexOf('Input #0');
  const outputStart = stderr.indexOf('Output #0', inputStart);
  const input = stderr.slice(Math.max(inputStart, 0), outputStart === -1 ? undefined : outputStart);

  const videoMatch = /^\s*Stream #0:\d+.*?: Video: .*$/m.exec(input);
  const videoLine = videoMatch?.[0];
  const audioLine = /^\s*Stream #0:\d+.*?: Audio: .*$/m.exec(input)?.[0];
  if (videoLine === undefined) throw new VideoError('unreadable', 'the file has no video stream', { stderrTail: input });

  const videoCodec = /: Video: ([^\s,]+)/.exec(videoLine)?.[1];
  // ", 160x120" and not the "0x31637661" of the codec tag.
  const size = /, (\d+)x(\d+)(?=[\s,[]|$)/.exec(videoLine);
  const fps = rate(videoLine, 'fps') ?? rate(videoLine, 'tbr');
  if (videoCodec === undefined || size === null || fps === undefined) {
    throw new VideoError('unreadable', `cannot read the video stream: ${videoLine.trim()}`);
  }

  const frameMatches = [...stderr.matchAll(/frame=\s*(\d+)/g)];
  const frameCount = Number(frameMatches.at(-1)?.[1] ?? 0);
  const duration = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(input);
  const durationSeconds =
    duration !== null
      ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3])
      : frameCount / fps;

  // The stream's own metadata and side data run until the next stream.
  const videoBlock = input.slice(videoMatch?.index ?? 0).split(/\n(?=\s*Stream #)/)[0] ?? '';
  const quarterTurned = Math.abs(rotationDegrees(videoBlock)) % 180 === 90;
  const storedWidth = Number(size[1]);
  const storedHeight = Number(size[2]);

  return {
    durationSeconds,
    width: quarterTurned ? storedHeight : storedWidth,
    height: quarterTurned ? storedWidth : storedHeight,
    fps,
    frameCount,
    hasAudio: audioLine !== undefined,
    videoCodec,
    audioCodec: audioLine === undefined ? undefined : /: Audio: ([^\s,]+)/.exec(audioLine)?.[1],
  };
}

/**
 * The display rotation, from the side data ("displaymatrix: rotation of -90.00
 * degrees") or the older `rotate` tag. ffmpeg turns the frames itself before
 * any filter runs, so sizes must be planned for the turned picture.
 */
function rotationDegrees(videoBlock: string): number {
  const matrix = /displaymatrix: rotation of (-?\d+(?:\.\d+)?) degrees/.exec(videoBlock);
  if (matrix !== null) return Math.round(Number(matrix[1]));
  const tag = /^\s*rotate\s*:\s*(-?\d+)\s*$/m.exec(videoBlock);
  return tag === null ? 0 : Number(tag[1]);
}

/** ffmpeg prints large rates as "90k fps". */
function rate(line: string, unit: 'fps' | 'tbr'): number | undefined {
  const match = new RegExp(`, (\\d+(?:\\.\\d+)?)(k?) ${unit}`).exec(line);
  if (match === null) return undefined;
  const value = Number(match[1]) * (match[2] === 'k' ? 1000 : 1);
  return value > 0 ? value : undefined;
}

/**
 * The exact rate to hand back to ffmpeg. It prints 30000/1001 as "29.97" and
 * 24000/1001 as "23.98"; passing those decimals on would drift by a frame every
 * few minutes, so the NTSC family is restored to its fraction.
 */
export function frameRateExpression(fps: number): string {
  const nominal = Math.round(fps * 1.001);
  if (!Number.isInteger(fps) && Math.abs(fps - (nominal * 1000) / 1001) < 0.006) return `${nominal * 1000}/1001`;
  return String(fps);
}
