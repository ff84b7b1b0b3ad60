import { wan25 } from '../fal/models/wan25.js';

/**
 * What the default model offers to choose from (src/fal/models). A leaf
 * module: the config and the quota rule declarations both read it, and the
 * config reads the rules, so it cannot live in config.ts without a cycle.
 */
const DEFAULT_MODEL = wan25;
export const RESOLUTIONS: readonly string[] = DEFAULT_MODEL.resolutions;
/** A resolution name of a model, e.g. '720p'. */
export type Resolution = string;
/** Seconds, as Discord's choice values and fal's input write them ('5'). */
export const DURATIONS: readonly string[] = DEFAULT_MODEL.durationsSeconds.map(String);
export type DurationSeconds = string;
