import type { Job } from '../jobs/job.js';
import type { Delivery } from '../jobs/types.js';

/**
 * The short lines that tell a member what the bot did to their media: the
 * picture it adjusted, the video it extended, the copy it shrank to fit.
 * Kept apart from format.ts so the progress and final messages each gain one
 * line, not a section.
 */

/** Under the prompt once the picture was prepared: "-# 🖼️ I adjusted your picture: …". Empty when nothing was done. */
export function pictureNote(job: Pick<Job, 'imageNote'>): string {
  return job.imageNote ? `\n-# 🖼️ I adjusted your picture: ${job.imageNote}` : '';
}

/** The lines a finished video adds: how long an extended video now is, and where the full-quality file is. */
export function deliveryNotes(
  job: Pick<Job, 'parentJobId' | 'fullVideoUrl' | 'totalDurationSeconds' | 'durationSeconds'>,
  delivery: Delivery,
): string[] {
  const lines: string[] = [];
  if (job.parentJobId !== null) {
    // The joined video exists once it was uploaded; without it the new clip came alone.
    lines.push(
      job.fullVideoUrl !== null
        ? `⏩ Extended by ${job.durationSeconds} s: the video is now ${job.totalDurationSeconds} s long.`
        : `⏩ I could not join this to the earlier video, so here is the new ${job.durationSeconds} s on its own.`,
    );
  }
  if (delivery.kind === 'file' && delivery.fitted) {
    const { width, height, fullBytes } = delivery.fitted;
    // Angle brackets: a link without a second preview under the attached video.
    lines.push(`-# Made smaller (${width}×${height}) to fit the upload limit here. Full quality (${megabytes(fullBytes)}): <${delivery.url}>`);
  }
  return lines;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
