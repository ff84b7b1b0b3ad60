import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';

const valid = {
  DISCORD_TOKEN: 'a'.repeat(24) + '.bbbbbb.' + 'c'.repeat(27),
  DISCORD_APPLICATION_ID: '123456789012345678',
  FAL_KEY: 'key-id:key-secret',
  // Processes that run part of the shards share the jobs: scale-out mode (operationsConfig.test.ts refuses it otherwise).
  DATABASE_URL: 'postgres://bot@db/animate',
  REDIS_URL: 'redis://cache:6379',
};

function shardingOf(env: Record<string, string>) {
  return parseConfig({ ...valid, ...env }).discord.sharding;
}

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    parseConfig({ ...valid, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('SHARD_COUNT and SHARD_IDS', () => {
  it('leave sharding to discord.js when both are unset or blank', () => {
    expect(shardingOf({})).toEqual({ kind: 'default' });
    expect(shardingOf({ SHARD_COUNT: ' ', SHARD_IDS: '' })).toEqual({ kind: 'default' });
  });

  it('read one id, a list, a range and ranges in a list, ascending and without repeats', () => {
    const shards = (ids: string, count = '8') => {
      const plan = shardingOf({ SHARD_COUNT: count, SHARD_IDS: ids });
      return plan.kind === 'shards' ? plan.shardIds : plan;
    };
    expect(shards('0')).toEqual([0]);
    expect(shards('0,2')).toEqual([0, 2]);
    expect(shards('0-3')).toEqual([0, 1, 2, 3]);
    expect(shards(' 6 , 0-1, 4 - 5 ,1')).toEqual([0, 1, 4, 5, 6]);
    expect(shards('7', '8')).toEqual([7]);
    expect(shardingOf({ SHARD_COUNT: '2', SHARD_IDS: '1' })).toEqual({ kind: 'shards', shardIds: [1], shardCount: 2, launched: false });
  });

  it('run every shard in this one process when only SHARD_COUNT is set', () => {
    expect(shardingOf({ SHARD_COUNT: '3' })).toEqual({ kind: 'shards', shardIds: [0, 1, 2], shardCount: 3, launched: false });
  });

  it('launch one process per shard with auto: SHARD_COUNT of them, or as many as Discord recommends', () => {
    expect(shardingOf({ SHARD_IDS: 'auto' })).toEqual({ kind: 'launcher', shardCount: 'recommended' });
    expect(shardingOf({ SHARD_IDS: 'AUTO', SHARD_COUNT: '4' })).toEqual({ kind: 'launcher', shardCount: 4 });
  });

  it('give a process the launcher spawned the shard discord.js names, whatever SHARD_IDS it inherited', () => {
    // What ShardingManager puts in a child's environment (discord.js src/sharding/Shard.js).
    const child = { SHARD_IDS: 'auto', SHARDING_MANAGER: 'true', SHARDING_MANAGER_MODE: 'process', SHARDS: '1', SHARD_COUNT: '2' };
    expect(shardingOf(child)).toEqual({ kind: 'shards', shardIds: [1], shardCount: 2, launched: true });
    expect(shardingOf({ ...child, SHARDS: '[0,1]' })).toEqual({ kind: 'shards', shardIds: [0, 1], shardCount: 2, launched: true });
    expect(problemsOf({ ...child, SHARDS: '2' })).toEqual(['SHARDS (set by the shard launcher) is not a shard of SHARD_COUNT: "2"']);
  });

  it('refuse an id at or past SHARD_COUNT, naming the ids and the range allowed', () => {
    expect(problemsOf({ SHARD_COUNT: '2', SHARD_IDS: '2' })).toEqual(['SHARD_IDS names shard 2, but SHARD_COUNT is 2: ids run from 0 to 1']);
    expect(problemsOf({ SHARD_COUNT: '4', SHARD_IDS: '0,3-5' })).toEqual(['SHARD_IDS names shards 4, 5, but SHARD_COUNT is 4: ids run from 0 to 3']);
  });

  it('refuse SHARD_IDS without SHARD_COUNT, as processes must agree on the total', () => {
    expect(problemsOf({ SHARD_IDS: '0' })).toEqual(['SHARD_IDS needs SHARD_COUNT: the total number of shards, the same in every process']);
  });

  it('say what a good SHARD_IDS looks like, quoting the piece that is not one', () => {
    const forms = 'must be a shard id (0), a list (0,2), a range (0-3), ranges in a list (0-1,4) or auto';
    expect(problemsOf({ SHARD_COUNT: '4', SHARD_IDS: 'all' })).toEqual([`SHARD_IDS ${forms}; "all" is none of these`]);
    expect(problemsOf({ SHARD_COUNT: '4', SHARD_IDS: '0,,1' })).toEqual([`SHARD_IDS ${forms}; "" is none of these`]);
    expect(problemsOf({ SHARD_COUNT: '4', SHARD_IDS: '-1' })).toEqual([`SHARD_IDS ${forms}; "-1" is none of these`]);
    expect(problemsOf({ SHARD_COUNT: '4', SHARD_IDS: '0-1-2' })).toEqual([`SHARD_IDS ${forms}; "0-1-2" is none of these`]);
    expect(problemsOf({ SHARD_COUNT: '4', SHARD_IDS: '3-1' })).toEqual(['SHARD_IDS has the range 3-1, which runs backwards (write 1-3)']);
  });

  it('refuse a SHARD_COUNT that is not a whole number of 1 or more', () => {
    expect(problemsOf({ SHARD_COUNT: '0' })).toEqual(['SHARD_COUNT must be 1 or more']);
    expect(problemsOf({ SHARD_COUNT: 'two' })).toEqual(['SHARD_COUNT must be a whole number of shards (1 or more)']);
    expect(problemsOf({ SHARD_COUNT: '1.5' })).toEqual(['SHARD_COUNT must be a whole number of shards (1 or more)']);
  });

  it('list a bad SHARD_COUNT and a bad SHARD_IDS on lines of their own, beside other bad settings', () => {
    const problems = problemsOf({ SHARD_COUNT: '-2', SHARD_IDS: 'x', POLL_INTERVAL_MS: 'soon' });
    expect(problems).toHaveLength(3);
    expect(problems.filter((line) => line.startsWith('SHARD_COUNT '))).toHaveLength(1);
    expect(problems.filter((line) => line.startsWith('SHARD_IDS '))).toHaveLength(1);
  });
});
