import type { DurationSeconds, Resolution } from '../config/config.js';
import type { WanInput } from '../fal/model.js';
import type { JobRow } from '../store/schema.js';

/** The model's input for a prepared job; the safety checker is never turned off. */
export function falInputFor(job: JobRow): WanInput {
  return {
    prompt: job.prompt,
    image_url: job.image_url ?? '',
    ...(job.audio_url ? { audio_url: job.audio_url } : {}),
    resolution: job.resolution as Resolution,
    duration: String(job.duration_seconds) as DurationSeconds,
    ...(job.negative_prompt ? { negative_prompt: job.negative_prompt } : {}),
    enable_prompt_expansion: job.prompt_expansion === 1,
    ...(job.seed !== null ? { seed: job.seed } : {}),
    enable_safety_checker: true,
  };
}
