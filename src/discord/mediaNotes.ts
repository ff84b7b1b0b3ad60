import type { Messages } from '../i18n/en.js';
import type { Job } from '../jobs/job.js';
import type { Delivery } from '../jobs/types.js';

/**
 * The short lines that tell a member what the bot did to their media: the
 * picture it adjusted, the video it extended, the copy it shrank to fit.
 * Kept apart from format.ts so the progress and final messages each gain one
 * line, not a section.
 */

/** Under the prompt once the picture was prepared: "-# 🖼️ I adjusted your picture: …". Empty when nothing was done. */
export function pictureNote(job: Pick<Job, 'imageNote'>, t: Messages): string {
  // The note itself was worded (in English) when the picture was fixed and is stored on the job.
  return job.imageNote ? `\n-# ${t['media.pictureAdjusted']({ note: job.imageNote })}` : '';
}

/** The lines a finished video adds: how long an extended video now is, and where the full-quality file is. */
export function deliveryNotes(
  job: Pick<Job, 'parentJobId' | 'fullVideoUrl' | 'totalDurationSeconds' | 'durationSeconds'>,
  delivery: Delivery,
  t: Messages,
): string[] {
  const lines: string[] = [];
  if (job.parentJobId !== null) {
    // The joined video exists once it was uploaded; without it the new clip came alone.
    lines.push(
      job.fullVideoUrl !== null
        ? t['extend.extendedBy']({ seconds: job.durationSeconds, total: job.totalDurationSeconds })
        : t['extend.notJoined']({ seconds: job.durationSeconds }),
    );
  }
  if (delivery.kind === 'file' && delivery.fitted) {
    const { width, height, fullBytes } = delivery.fitted;
    // Angle brackets: a link without a second preview under the attached video.
    lines.push(`-# ${t['result.madeSmaller']({ width, height, size: megabytes(fullBytes), url: `<${delivery.url}>` })}`);
  }
  return lines;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
