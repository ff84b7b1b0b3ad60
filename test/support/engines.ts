import pg from 'pg';
import { openStore, type Store } from '../../src/store/database.js';

/** The store suites run on both engines: `describe.each(ENGINES)`. */
export const ENGINES = ['sqlite', 'postgres'] as const;
export type TestEngine = (typeof ENGINES)[number];

/** The machine's PostgreSQL (trust auth, database `test`, user postgres; USER is often unset here, so it is named); each run gets a schema of its own. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function uniqueSchema(): string {
  return `test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A migrated store on either engine (SQLite in memory); `close` also drops the Postgres schema. */
export async function openTestStore(engine: TestEngine): Promise<{ store: Store; close(): Promise<void> }> {
  if (engine === 'sqlite') {
    const store = await openStore(':memory:');
    return { store, close: () => store.close() };
  }
  const schema = uniqueSchema();
  const store = await openStore(TEST_POSTGRES_URL, { schema });
  return {
    store,
    async close() {
      await store.close();
      await dropSchema(TEST_POSTGRES_URL, schema);
    },
  };
}
