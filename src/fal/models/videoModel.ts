import type { z } from 'zod';
import type { AudioLimits, ImageLimits } from '../../media/limits.js';

/**
 * What the bot must know about one fal video model, in one place: where it
 * lives, what it accepts, what it costs, how long it usually takes, and how a
 * job's options become its input and its output becomes a video. Config,
 * commands, quota rules, media checks and estimates all read from here.
 */
export interface VideoModel {
  /** Stable key stored on every job; never change it for a model in use. */
  readonly id: string;
  /** fal's endpoint id (PROTOCOLS.md §2): the submit path. */
  readonly endpointId: string;
  /** Shown to members ("Details"). */
  readonly displayName: string;
  /** Ascending: the last one is the best. */
  readonly resolutions: readonly string[];
  /** Ascending, in seconds. */
  readonly durationsSeconds: readonly number[];
  readonly defaults: { readonly resolution: string; readonly durationSeconds: number };
  /** Public price per second of video, in US cents, by resolution. */
  readonly priceCentsPerSecond: Readonly<Record<string, number>>;
  readonly promptMaxLength: number;
  readonly negativePromptMaxLength: number;
  readonly image: ImageLimits;
  /** Null when the model takes no audio. */
  readonly audio: AudioLimits | null;
  /** Typical timings for estimates until the store has history. */
  readonly timings: ModelTimings;
  /** fal's input for a prepared job (options already checked against this model). */
  input(job: ModelJobInput): Record<string, unknown>;
  /** Reads fal's result; the schema rejects anything without a video URL. */
  readonly outputSchema: z.ZodType<ModelOutput>;
}

export interface ModelTimings {
  /** Seconds fal usually spends making one clip. */
  runSeconds(resolution: string, durationSeconds: number): number;
  /** Jobs fal runs at once for one account: how fast the line ahead moves. */
  readonly parallelRuns: number;
}

/** A job's options as a model sees them (already uploaded to fal's storage). */
export interface ModelJobInput {
  prompt: string;
  negativePrompt: string | null;
  imageUrl: string;
  audioUrl: string | null;
  resolution: string;
  durationSeconds: number;
  seed: number | null;
  promptExpansion: boolean;
}

/** What the bot keeps from a model's result. */
export interface ModelOutput {
  videoUrl: string;
  videoBytes: number | null;
  seed: number | null;
  actualPrompt: string | null;
}

/** Cost of one clip in integer cents. */
export function clipCostCents(model: VideoModel, resolution: string, durationSeconds: number): number {
  const perSecond = model.priceCentsPerSecond[resolution];
  if (perSecond === undefined) throw new Error(`${model.id} has no price for ${resolution}`);
  return Math.round(perSecond * durationSeconds);
}

export function bestResolution(model: VideoModel, allowed: readonly string[]): string | undefined {
  return model.resolutions.filter((resolution) => allowed.includes(resolution)).at(-1);
}
