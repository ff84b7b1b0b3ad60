import pg from 'pg';
import { TEST_POSTGRES_URL } from './engines.js';
import { TEST_REDIS_URL, dropRedisPrefix, uniqueRedisPrefix } from './redis.js';

/**
 * What several bot processes share in scale-out mode: a PostgreSQL database of
 * the test's own (on this machine's server) and a Redis key prefix of its own.
 * `env` is the settings every process gets; `drop` removes both.
 */
export interface SharedStore {
  readonly env: { DATABASE_URL: string; REDIS_URL: string; REDIS_PREFIX: string };
  query<Row>(text: string): Promise<Row[]>;
  drop(): Promise<void>;
}

export async function createSharedStore(): Promise<SharedStore> {
  const database = `animate_shared_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  await runOn(TEST_POSTGRES_URL, `create database "${database}"`);
  const databaseUrl = TEST_POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`);
  const prefix = uniqueRedisPrefix();
  return {
    env: { DATABASE_URL: databaseUrl, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix },
    query: (text) => runOn(databaseUrl, text),
    async drop() {
      await runOn(TEST_POSTGRES_URL, `drop database if exists "${database}" with (force)`);
      await dropRedisPrefix(TEST_REDIS_URL, prefix);
    },
  };
}

async function runOn<Row>(url: string, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Row[];
  } finally {
    await client.end();
  }
}
