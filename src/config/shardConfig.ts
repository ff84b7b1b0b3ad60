import { z } from 'zod';

/**
 * Which gateway shards this process runs: a part of the config's schema of its
 * own (config.ts spreads SHARD_ENV into it). Discord puts a guild on shard
 * `(guild_id >> 22) % shard_count`; a process that identifies with
 * `[id, count]` hears only its guilds' events and interactions
 * (https://discord.com/developers/docs/events/gateway#sharding).
 */

/** What every form of SHARD_IDS is told, so a bad value says what a good one looks like. */
const SHARD_IDS_FORMS = 'must be a shard id (0), a list (0,2), a range (0-3), ranges in a list (0-1,4) or auto';

/** SHARD_IDS as written: `auto`, or the ids named, ascending and without repeats. */
export type ShardIdsSetting = 'auto' | readonly number[];

/** Reads one id, a list, ranges, or `auto`; every problem is one line naming the piece that is wrong. */
export function parseShardIds(value: string, ctx: z.RefinementCtx): ShardIdsSetting {
  const text = value.trim().toLowerCase();
  if (text === 'auto') return 'auto';
  const ids = new Set<number>();
  for (const piece of text.split(',').map((part) => part.trim())) {
    const range = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(piece);
    if (!range) {
      ctx.addIssue({ code: 'custom', message: `${SHARD_IDS_FORMS}; "${piece}" is none of these` });
      return z.NEVER;
    }
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (last < first) {
      ctx.addIssue({ code: 'custom', message: `has the range ${first}-${last}, which runs backwards (write ${last}-${first})` });
      return z.NEVER;
    }
    for (let id = first; id <= last; id += 1) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

export const SHARD_ENV = {
  /** Shards across every process of the bot; unset with SHARD_IDS=auto: Discord's recommendation. */
  SHARD_COUNT: z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, 'must be a whole number of shards (1 or more)')
    .transform(Number)
    .refine((count) => count >= 1, 'must be 1 or more')
    .optional(),
  SHARD_IDS: z.string().transform(parseShardIds).optional(),
  // Set by discord.js's ShardingManager in each process it spawns (src/shardLauncher.ts); never by the operator.
  SHARDING_MANAGER: z.string().optional(),
  SHARDS: z.string().optional(),
};

type ShardEnv = z.infer<z.ZodObject<typeof SHARD_ENV>>;

export type ShardPlan =
  /** Nothing set: discord.js decides, as before sharding was configurable (one shard, 0 of 1). */
  | { kind: 'default' }
  /** This process connects these shards of `shardCount`; other processes (or machines) run the rest. */
  | {
      kind: 'shards';
      shardIds: readonly number[];
      shardCount: number;
      /** Spawned by this bot's launcher (SHARD_IDS=auto): it exits when the launcher is gone. */
      launched: boolean;
    }
  /** SHARD_IDS=auto: this process runs no gateway; it starts one child process per shard. */
  | { kind: 'launcher'; shardCount: number | 'recommended' };

/**
 * The plan from the parsed environment, and one line per setting that does
 * not fit the others. A process spawned by the launcher is told its shard by
 * discord.js (SHARDS, SHARD_COUNT), whatever SHARD_IDS it inherited.
 */
export function shardPlanFrom(env: ShardEnv): { sharding: ShardPlan; problems: string[] } {
  if (env.SHARDING_MANAGER === 'true' && env.SHARDS !== undefined) return launchedShard(env.SHARDS, env.SHARD_COUNT);
  const { SHARD_IDS: ids, SHARD_COUNT: count } = env;
  if (ids === 'auto') return { sharding: { kind: 'launcher', shardCount: count ?? 'recommended' }, problems: [] };
  if (ids === undefined) {
    if (count === undefined) return { sharding: { kind: 'default' }, problems: [] };
    // Every shard in this one process: discord.js's internal sharding.
    const all = Array.from({ length: count }, (_, id) => id);
    return { sharding: { kind: 'shards', shardIds: all, shardCount: count, launched: false }, problems: [] };
  }
  if (count === undefined) {
    return {
      sharding: { kind: 'default' },
      problems: ['SHARD_IDS needs SHARD_COUNT: the total number of shards, the same in every process'],
    };
  }
  const outside = ids.filter((id) => id >= count);
  if (outside.length > 0) {
    const named = outside.length === 1 ? `shard ${outside[0]}` : `shards ${outside.join(', ')}`;
    return {
      sharding: { kind: 'default' },
      problems: [`SHARD_IDS names ${named}, but SHARD_COUNT is ${count}: ids run from 0 to ${count - 1}`],
    };
  }
  return { sharding: { kind: 'shards', shardIds: ids, shardCount: count, launched: false }, problems: [] };
}

/** discord.js writes SHARDS as JSON (one id for a process shard) and SHARD_COUNT as the manager's total. */
function launchedShard(shards: string, count: number | undefined): { sharding: ShardPlan; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(shards);
  } catch {
    parsed = undefined;
  }
  const ids = (Array.isArray(parsed) ? parsed : [parsed]).filter((id): id is number => Number.isInteger(id) && (id as number) >= 0);
  if (ids.length === 0 || count === undefined || ids.some((id) => id >= count)) {
    return { sharding: { kind: 'default' }, problems: [`SHARDS (set by the shard launcher) is not a shard of SHARD_COUNT: "${shards}"`] };
  }
  return { sharding: { kind: 'shards', shardIds: ids, shardCount: count, launched: true }, problems: [] };
}
