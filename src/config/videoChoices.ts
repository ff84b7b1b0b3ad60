/**
 * What the model offers to choose from. A leaf module: the config and the
 * quota rule declarations both read it, and the config reads the rules, so
 * it cannot live in config.ts without a cycle.
 */
export const RESOLUTIONS = ['480p', '720p', '1080p'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const DURATIONS = ['5', '10'] as const;
export type DurationSeconds = (typeof DURATIONS)[number];
