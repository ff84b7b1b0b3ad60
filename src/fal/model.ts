import { z } from 'zod';
import type { DurationSeconds, Resolution } from '../config/config.js';

/** fal's endpoint for the model; status/result paths drop the last segment (PROTOCOLS.md §2). */
export const MODEL_ENDPOINT = 'fal-ai/wan-25-preview/image-to-video';

/** The model's input, exactly as fal takes it (durations are strings). */
export interface WanInput {
  prompt: string;
  image_url: string;
  audio_url?: string;
  resolution: Resolution;
  duration: DurationSeconds;
  negative_prompt?: string;
  enable_prompt_expansion: boolean;
  seed?: number;
  enable_safety_checker: true;
}

export const wanOutputSchema = z.object({
  video: z.object({
    url: z.string().url(),
    content_type: z.string().optional(),
    file_name: z.string().optional(),
    file_size: z.number().optional(),
  }),
  seed: z.number().int().optional(),
  actual_prompt: z.string().optional(),
});
export type WanOutput = z.infer<typeof wanOutputSchema>;

const logSchema = z.object({ message: z.string() }).passthrough();

export const queueStatusSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('IN_QUEUE'), queue_position: z.number().int().nonnegative().optional() }).passthrough(),
  z.object({ status: z.literal('IN_PROGRESS'), logs: z.array(logSchema).nullish() }).passthrough(),
  z.object({ status: z.literal('COMPLETED'), logs: z.array(logSchema).nullish() }).passthrough(),
]);
export type QueueStatus = z.infer<typeof queueStatusSchema>;
