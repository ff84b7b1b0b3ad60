import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, secretsOf } from '../../src/config/config.js';

const valid = {
  DISCORD_TOKEN: 'a'.repeat(24) + '.bbbbbb.' + 'c'.repeat(27),
  DISCORD_APPLICATION_ID: '123456789012345678',
  FAL_KEY: 'key-id:key-secret',
};

describe('operations settings', () => {
  it('default to no HTTP server, polling, a 60 s safety poll and 2 minutes of submit retries', () => {
    const config = parseConfig(valid);
    expect(config.http).toEqual({ port: undefined, host: '0.0.0.0' });
    expect(config.webhooks).toEqual({
      publicUrl: undefined,
      jwksUrl: 'https://rest.alpha.fal.ai/.well-known/jwks.json',
      safetyPollMs: 60_000,
    });
    expect(config.submitRetryMs).toBe(120_000);
  });

  it('reads them, dropping a trailing slash from PUBLIC_URL', () => {
    const config = parseConfig({
      ...valid,
      HTTP_PORT: '8080',
      HTTP_HOST: '127.0.0.1',
      PUBLIC_URL: 'https://bot.example.com/',
      FAL_WEBHOOK_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
      FAL_SAFETY_POLL_SECONDS: '30',
      FAL_SUBMIT_RETRY_SECONDS: '0',
    });
    expect(config.http).toEqual({ port: 8080, host: '127.0.0.1' });
    expect(config.webhooks).toEqual({ publicUrl: 'https://bot.example.com', jwksUrl: 'http://127.0.0.1:9/jwks.json', safetyPollMs: 30_000 });
    expect(config.submitRetryMs).toBe(0);
  });

  it('refuses PUBLIC_URL without HTTP_PORT, and a port out of range', () => {
    expect(() => parseConfig({ ...valid, PUBLIC_URL: 'https://bot.example.com' })).toThrow(/PUBLIC_URL needs HTTP_PORT/);
    expect(() => parseConfig({ ...valid, HTTP_PORT: '70000' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...valid, FAL_SAFETY_POLL_SECONDS: '0' })).toThrow(/FAL_SAFETY_POLL_SECONDS/);
  });

  it("follows fal's status stream unless told to poll", () => {
    expect(parseConfig(valid).statusMode).toBe('stream');
    expect(parseConfig({ ...valid, FAL_STATUS_MODE: 'poll' }).statusMode).toBe('poll');
    expect(() => parseConfig({ ...valid, FAL_STATUS_MODE: 'sometimes' })).toThrow(/FAL_STATUS_MODE/);
  });

  it('runs jobs in-process without REDIS_URL, and on the queue with it and PostgreSQL', () => {
    expect(parseConfig(valid).queue).toBeNull();
    const config = parseConfig({ ...valid, DATABASE_URL: 'postgres://bot:pw@db/animate', REDIS_URL: 'redis://:s3cret@cache:6379/2' });
    expect(config.queue).toEqual({ redisUrl: 'redis://:s3cret@cache:6379/2', prefix: 'animate' });
    expect(parseConfig({ ...valid, DATABASE_URL: 'postgres://db/a', REDIS_URL: 'redis://cache', REDIS_PREFIX: 'bot-2' }).queue?.prefix).toBe('bot-2');
  });

  it('refuses REDIS_URL on SQLite, a URL that is not Redis, and a prefix with spaces', () => {
    expect(() => parseConfig({ ...valid, REDIS_URL: 'redis://cache' })).toThrow(/REDIS_URL needs a postgres:\/\/ DATABASE_URL/);
    expect(() => parseConfig({ ...valid, DATABASE_URL: 'postgres://db/a', REDIS_URL: 'http://cache' })).toThrow(/REDIS_URL must be a redis:\/\//);
    expect(() => parseConfig({ ...valid, DATABASE_URL: 'postgres://db/a', REDIS_URL: 'redis://cache', REDIS_PREFIX: 'a b' })).toThrow(/REDIS_PREFIX/);
  });

  it('splits a process into gateway or worker only in scale-out mode', () => {
    expect(parseConfig(valid).role).toBe('all');
    const scaled = { ...valid, DATABASE_URL: 'postgres://db/a', REDIS_URL: 'redis://cache' };
    expect(parseConfig({ ...scaled, PROCESS_ROLE: 'worker' }).role).toBe('worker');
    expect(parseConfig({ ...scaled, PROCESS_ROLE: 'gateway' }).role).toBe('gateway');
    expect(() => parseConfig({ ...valid, PROCESS_ROLE: 'worker' })).toThrow(/PROCESS_ROLE=worker needs REDIS_URL/);
    expect(() => parseConfig({ ...scaled, PROCESS_ROLE: 'both' })).toThrow(/PROCESS_ROLE/);
  });

  it('refuses several shard processes that would share jobs without the queue', () => {
    expect(() => parseConfig({ ...valid, SHARD_COUNT: '2', SHARD_IDS: '0' })).toThrow(/SHARD_IDS runs only some of the shards: .*REDIS_URL/);
    expect(() => parseConfig({ ...valid, SHARD_IDS: 'auto' })).toThrow(/SHARD_IDS=auto starts a process per shard/);
    // All shards in one process, or one launched shard process: nothing is shared.
    expect(parseConfig({ ...valid, SHARD_COUNT: '2' }).discord.sharding).toMatchObject({ kind: 'shards', shardIds: [0, 1] });
    expect(parseConfig({ ...valid, SHARD_IDS: 'auto', SHARD_COUNT: '1' }).discord.sharding.kind).toBe('launcher');
    const scaled = { ...valid, DATABASE_URL: 'postgres://db/a', REDIS_URL: 'redis://cache' };
    expect(parseConfig({ ...scaled, SHARD_COUNT: '2', SHARD_IDS: '1' }).discord.sharding).toMatchObject({ shardIds: [1], shardCount: 2 });
  });

  it('keeps the passwords of DATABASE_URL and REDIS_URL among the secrets the logs redact', () => {
    const config = parseConfig({ ...valid, DATABASE_URL: 'postgres://bot:db%40pass@db/a', REDIS_URL: 'redis://:redis-pass@cache' });
    expect(secretsOf(config)).toEqual(expect.arrayContaining(['db@pass', 'redis-pass']));
  });
});
