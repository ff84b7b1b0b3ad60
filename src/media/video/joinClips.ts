import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FfmpegBinary } from './locateFfmpeg.js';
import { type VideoInfo, frameRateExpression, probeVideo } from './probeVideo.js';
import { mp4InputArgs, outputPath, runFfmpeg } from './runFfmpeg.js';
import { withTempDirectory } from './tempDirectory.js';
import { VideoError } from './videoError.js';
import type { VideoOperationOptions } from './videoOptions.js';

export interface JoinedVideo {
  bytes: Buffer;
  width: number;
  height: number;
  fps: number;
  durationSeconds: number;
  hasAudio: boolean;
}

const DEFAULT_JOIN_TIMEOUT_MS = 300_000;
/** A disk guard: two 10 s clips at CRF 18 are tens of MB; the fit step shrinks them for Discord afterwards. */
const MAX_JOINED_BYTES = 512 * 1024 * 1024;
const AUDIO_FORMAT = 'aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo';

/**
 * One MP4 of `first` then `second`, for a clip extended from its own last frame.
 * The second clip is brought to the first's size (letterboxed if its shape
 * differs, never stretched) and frame rate, and its first frame is dropped: it
 * repeats the frame the first clip ended on, and showing it twice would be a
 * visible stutter. Each clip's audio is cut or padded with silence to its
 * video's length, and a clip without audio gets silence, so the soundtrack
 * stays in step; the result has no audio only when neither clip had any.
 */
export async function joinClips(
  ffmpeg: FfmpegBinary,
  first: Buffer,
  second: Buffer,
  options: VideoOperationOptions = {},
): Promise<JoinedVideo> {
  return withTempDirectory(options.tempParent, async (directory) => {
    const firstPath = join(directory, 'first.mp4');
    const secondPath = join(directory, 'second.mp4');
    const joinedPath = join(directory, 'joined.mp4');
    await writeFile(firstPath, first);
    await writeFile(secondPath, second);
    const firstInfo = await probeVideo(ffmpeg, firstPath, options);
    const secondInfo = await probeVideo(ffmpeg, secondPath, options);

    const args = [
      ...mp4InputArgs(firstPath),
      ...mp4InputArgs(secondPath),
      ...joinFilterArgs(firstInfo, secondInfo),
      '-c:v', 'libx264',
      '-preset', 'fast',
      // Visually lossless: the join is an intermediate that fitVideoToSize may shrink later.
      '-crf', '18',
      '-pix_fmt', 'yuv420p',
      '-c:a', 'aac',
      '-b:a', '160k',
      '-map_metadata', '-1',
      '-movflags', '+faststart',
      '-fs', String(MAX_JOINED_BYTES),
      '-y', outputPath(joinedPath),
    ];
    await runFfmpeg(ffmpeg.path, args, { timeoutMs: options.timeoutMs ?? DEFAULT_JOIN_TIMEOUT_MS });
    if ((await stat(joinedPath)).size >= MAX_JOINED_BYTES) {
      throw new VideoError('output_too_large', `the joined video reached the ${MAX_JOINED_BYTES}-byte cap`);
    }

    const joined = await probeVideo(ffmpeg, joinedPath, options);
    return {
      bytes: await readFile(joinedPath),
      width: joined.width,
      height: joined.height,
      fps: joined.fps,
      durationSeconds: joined.durationSeconds,
      hasAudio: joined.hasAudio,
    };
  });
}

type ClipInfo = Pick<VideoInfo, 'width' | 'height' | 'fps' | 'frameCount' | 'durationSeconds' | 'hasAudio'>;

/** The -filter_complex and -map arguments; every value in them is a number we computed. */
export function joinFilterArgs(first: ClipInfo, second: ClipInfo): string[] {
  const rate = frameRateExpression(first.fps);
  const frameSeconds = 1 / first.fps;
  const width = even(first.width);
  const height = even(first.height);
  const normalise =
    `setpts=PTS-STARTPTS,fps=${rate},` +
    `scale=${width}:${height}:force_original_aspect_ratio=decrease,` +
    `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p`;

  const firstSeconds = videoSeconds(first);
  const secondSeconds = Math.max(videoSeconds(second) - frameSeconds, frameSeconds);
  const filters = [
    `[0:v:0]${normalise}[v0]`,
    `[1:v:0]${normalise},trim=start_frame=1,setpts=PTS-STARTPTS[v1]`,
  ];

  const withAudio = first.hasAudio || second.hasAudio;
  if (withAudio) {
    filters.push(
      first.hasAudio
        ? `[0:a:0]asetpts=PTS-STARTPTS,${AUDIO_FORMAT},apad,atrim=end=${seconds(firstSeconds)}[a0]`
        : `${silence()},atrim=end=${seconds(firstSeconds)}[a0]`,
      second.hasAudio
        ? `[1:a:0]asetpts=PTS-STARTPTS,${AUDIO_FORMAT},atrim=start=${seconds(frameSeconds)},asetpts=PTS-STARTPTS,` +
            `apad,atrim=end=${seconds(secondSeconds)}[a1]`
        : `${silence()},atrim=end=${seconds(secondSeconds)}[a1]`,
      '[v0][a0][v1][a1]concat=n=2:v=1:a=1[v][a]',
    );
  } else {
    filters.push('[v0][v1]concat=n=2:v=1:a=0[v]');
  }

  return ['-filter_complex', filters.join(';'), '-map', '[v]', ...(withAudio ? ['-map', '[a]'] : [])];
}

/** The video's own length: frames over rate when counted, since the container's duration includes audio. */
function videoSeconds(clip: ClipInfo): number {
  return clip.frameCount > 0 ? clip.frameCount / clip.fps : clip.durationSeconds;
}

/** Endless; each use is cut to length by an atrim. */
function silence(): string {
  return `anullsrc=r=48000:cl=stereo,${AUDIO_FORMAT}`;
}

function seconds(value: number): string {
  return value.toFixed(6);
}

function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}
