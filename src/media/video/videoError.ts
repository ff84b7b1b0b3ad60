export type VideoFailure =
  /** ffmpeg ran past its time limit and was killed. */
  | 'timeout'
  /** ffmpeg could not be started or exited with an error on input we believed good. */
  | 'ffmpeg_failed'
  /** The input is not an MP4/MOV with a video stream ffmpeg can read. */
  | 'unreadable'
  /** ffmpeg wrote more than the output cap allowed. */
  | 'output_too_large'
  /** Even the smallest allowed encoding does not fit the byte budget. */
  | 'cannot_fit';

/**
 * Why a video operation failed, for the caller to word for its audience (a
 * delivery can fall back to a link, a join to the first clip). The message and
 * `stderrTail` are for logs only: they quote ffmpeg, never member-facing text.
 */
export class VideoError extends Error {
  readonly reason: VideoFailure;
  /** The end of ffmpeg's stderr, where it explains itself; empty when ffmpeg did not run. */
  readonly stderrTail: string;

  constructor(reason: VideoFailure, message: string, options?: { stderrTail?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = 'VideoError';
    this.reason = reason;
    this.stderrTail = options?.stderrTail ?? '';
  }
}
