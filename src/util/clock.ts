/** The one clock: epoch milliseconds. Jobs, quota periods and cooldowns all read it; tests pass a fake. */
export type Clock = () => number;
