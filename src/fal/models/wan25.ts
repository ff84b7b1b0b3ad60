import { z } from 'zod';
import type { ModelOutput, VideoModel } from './videoModel.js';

const MiB = 1024 * 1024;

/** Seconds per clip from the model page ("1–3 minutes, longer for 10 s videos"). */
const RUN_SECONDS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  '5': { '480p': 60, '720p': 90, '1080p': 120 },
  '10': { '480p': 100, '720p': 150, '1080p': 200 },
};

const outputSchema: z.ZodType<ModelOutput> = z
  .object({
    video: z.object({
      url: z.string().url(),
      content_type: z.string().optional(),
      file_name: z.string().optional(),
      file_size: z.number().optional(),
    }),
    seed: z.number().int().optional(),
    actual_prompt: z.string().optional(),
  })
  .transform((output) => ({
    videoUrl: output.video.url,
    videoBytes: output.video.file_size ?? null,
    seed: output.seed ?? null,
    actualPrompt: output.actual_prompt ?? null,
  }));

/**
 * fal-ai/wan-25-preview/image-to-video (PROTOCOLS.md §1, shared/reference/).
 * Limits: fal's About text says "10 MB" for images while its schema allows
 * 25 MB; 10 MiB keeps us inside both readings (and is what Discord calls
 * "10 MB"). Audio "up to 15 MB" is read as MiB for the same reason.
 */
export const wan25 = {
  id: 'wan-25',
  endpointId: 'fal-ai/wan-25-preview/image-to-video',
  displayName: 'WAN 2.5',
  resolutions: ['480p', '720p', '1080p'],
  durationsSeconds: [5, 10],
  defaults: { resolution: '1080p', durationSeconds: 5 },
  priceCentsPerSecond: { '480p': 5, '720p': 10, '1080p': 15 },
  promptMaxLength: 800,
  negativePromptMaxLength: 500,
  image: { maxBytes: 10 * MiB, minSidePx: 360, maxSidePx: 2000 },
  audio: { maxBytes: 15 * MiB, minSeconds: 3, maxSeconds: 30 },
  timings: {
    runSeconds: (resolution, durationSeconds) => RUN_SECONDS[String(durationSeconds)]?.[resolution] ?? 120,
    parallelRuns: 2,
  },
  // The safety checker is never turned off; durations travel as strings.
  input: (job) => ({
    prompt: job.prompt,
    image_url: job.imageUrl,
    ...(job.audioUrl ? { audio_url: job.audioUrl } : {}),
    resolution: job.resolution,
    duration: String(job.durationSeconds),
    ...(job.negativePrompt ? { negative_prompt: job.negativePrompt } : {}),
    enable_prompt_expansion: job.promptExpansion,
    ...(job.seed !== null ? { seed: job.seed } : {}),
    enable_safety_checker: true,
  }),
  outputSchema,
} satisfies VideoModel;
