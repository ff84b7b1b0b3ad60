import { z } from 'zod';

const logSchema = z.object({ message: z.string() }).passthrough();

/** fal's queue status, the same for every model (PROTOCOLS.md §2). */
export const queueStatusSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('IN_QUEUE'), queue_position: z.number().int().nonnegative().optional() }).passthrough(),
  z.object({ status: z.literal('IN_PROGRESS'), logs: z.array(logSchema).nullish() }).passthrough(),
  z.object({ status: z.literal('COMPLETED'), logs: z.array(logSchema).nullish() }).passthrough(),
]);
export type QueueStatus = z.infer<typeof queueStatusSchema>;
