import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FfmpegBinary } from './locateFfmpeg.js';
import { mp4InputArgs, outputPath, runFfmpeg } from './runFfmpeg.js';
import { withTempDirectory } from './tempDirectory.js';
import { VideoError } from './videoError.js';
import type { VideoOperationOptions } from './videoOptions.js';

const DEFAULT_FRAME_TIMEOUT_MS = 60_000;
/**
 * A 4K RGB PNG stays well under this; anything bigger is not a frame we want.
 * Checked after the run: `-fs` does not apply to the image2 muxer.
 */
const MAX_PNG_BYTES = 64 * 1024 * 1024;

/**
 * The exact last frame of an MP4 as a PNG, e.g. to start the next clip from.
 * Only the last second is decoded (`-sseof -1`), and `-update 1` rewrites the
 * one output file with every frame, so what remains is the final frame, not
 * the nearest keyframe. When the file has no video in its last second (audio
 * longer than the video, or a clip under one second) the whole video is decoded.
 */
export async function lastFrame(ffmpeg: FfmpegBinary, mp4: Buffer, options: VideoOperationOptions = {}): Promise<Buffer> {
  return withTempDirectory(options.tempParent, async (directory) => {
    const sourcePath = join(directory, 'source.mp4');
    const framePath = join(directory, 'last.png');
    await writeFile(sourcePath, mp4);

    await extract(ffmpeg, ['-sseof', '-1', ...mp4InputArgs(sourcePath)], framePath, options);
    if ((await sizeOf(framePath)) === 0) await extract(ffmpeg, mp4InputArgs(sourcePath), framePath, options);

    const sizeBytes = await sizeOf(framePath);
    if (sizeBytes === 0) throw new VideoError('unreadable', 'ffmpeg decoded no video frame');
    if (sizeBytes > MAX_PNG_BYTES) throw new VideoError('output_too_large', `the last frame is ${sizeBytes} bytes as PNG`);
    return readFile(framePath);
  });
}

async function extract(ffmpeg: FfmpegBinary, input: string[], framePath: string, options: VideoOperationOptions): Promise<void> {
  const args = [
    ...input,
    '-map', '0:v:0',
    // Every decoded frame once, no duplicates or drops to a frame rate.
    '-vsync', 'passthrough',
    '-f', 'image2',
    '-c:v', 'png',
    '-update', '1',
    '-y', outputPath(framePath),
  ];
  try {
    await runFfmpeg(ffmpeg.path, args, { timeoutMs: options.timeoutMs ?? DEFAULT_FRAME_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof VideoError && error.reason === 'ffmpeg_failed') {
      throw new VideoError('unreadable', 'ffmpeg could not decode the video', { stderrTail: error.stderrTail, cause: error });
    }
    throw error;
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
