import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../src/store/migrations.js';
import { CopyRefused, TABLES_IN_COPY_ORDER, copyDatabase, parseCopyArguments } from '../../src/store/copyDatabase.js';
import { openStore, type Store } from '../../src/store/database.js';
import { TEST_POSTGRES_URL, dropSchema, uniqueSchema } from '../support/engines.js';
import { JobRepository } from '../../src/jobs/jobRepository.js';
import { aJob } from '../support/jobs.js';
import type { NewJob } from '../../src/jobs/job.js';

function sampleNewJob(overrides: Partial<NewJob>): NewJob {
  const { id, model, guildId, channelId, userId, reply, prompt, negativePrompt, resolution, durationSeconds, seed, promptExpansion, imageSourceUrl, audioSourceUrl, costCents } =
    aJob({ guildId: '111111111111111111', ...overrides });
  return { id, model, guildId, channelId, userId, reply, prompt, negativePrompt, resolution, durationSeconds, seed, promptExpansion, imageSourceUrl, audioSourceUrl, costCents };
}

describe('db:copy', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function sqliteStore(): Promise<Store> {
    const directory = mkdtempSync(join(tmpdir(), 'animate-copy-'));
    const store = await openStore(join(directory, 'animate.sqlite'));
    cleanups.push(async () => {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    });
    return store;
  }

  async function postgresStore(): Promise<Store> {
    const schema = uniqueSchema();
    const store = await openStore(TEST_POSTGRES_URL, { schema });
    cleanups.push(async () => {
      await store.close();
      await dropSchema(TEST_POSTGRES_URL, schema);
    });
    return store;
  }

  /** A few rows in every table that holds data, as a bot leaves them. */
  async function fill(store: Store): Promise<void> {
    const jobs = new JobRepository(store.db, Date.now);
    for (let index = 0; index < 3; index += 1) {
      const job = await jobs.create(sampleNewJob({ id: randomUUID() }));
      await jobs.transition(job.id, 'validated');
    }
    const at = Date.now();
    await store.db.insertInto('quota_guild_settings').values({ guild_id: '111111111111111111', budget_cents: 1234, budget_period: 'week', created_at: at, updated_at: at } as never).execute();
    const [job] = await store.db.selectFrom('jobs').select(['id', 'guild_id', 'user_id']).execute();
    await store.db
      .insertInto('quota_ledger')
      .values({ id: randomUUID(), job_id: job!.id, kind: 'reserve', guild_id: '111111111111111111', user_id: job!.user_id, amount_cents: 75, period_key: 'month:2026-12', reserved_at: at, at } as never)
      .execute();
  }

  async function contents(store: Store): Promise<Record<string, unknown[]>> {
    const result: Record<string, unknown[]> = {};
    for (const { table, key } of TABLES_IN_COPY_ORDER) {
      result[table] = await store.db.selectFrom(table).selectAll().orderBy(key as never).execute();
    }
    return result;
  }

  it('copies every table from SQLite to PostgreSQL, row for row', async () => {
    const from = await sqliteStore();
    await fill(from);
    const to = await postgresStore();
    const lines: string[] = [];
    const report = await copyDatabase(from, to, (line) => lines.push(line));
    expect(report.rows.jobs).toBe(3);
    expect(report.rows.job_events).toBe(6);
    expect(report.rows.quota_ledger).toBe(1);
    expect(lines[0]).toBe('jobs: 3 rows');
    expect(await contents(to)).toEqual(await contents(from));
    // The copy works as a store: the repository reads the jobs back typed.
    const copied = await new JobRepository(to.db, Date.now).inStates(['validated']);
    expect(copied).toHaveLength(3);
  });

  it('refuses a target that holds data, and leaves it as it was', async () => {
    const from = await sqliteStore();
    await fill(from);
    const to = await postgresStore();
    await new JobRepository(to.db, Date.now).create(sampleNewJob({ id: randomUUID() }));
    await expect(copyDatabase(from, to)).rejects.toThrow(CopyRefused);
    await expect(copyDatabase(from, to)).rejects.toThrow(/not empty \(table jobs has rows\)/);
    expect(await to.db.selectFrom('jobs').selectAll().execute()).toHaveLength(1);
  });

  it('knows every table the migrations create', async () => {
    const store = await sqliteStore();
    const names = (await store.db.introspection.getTables()).map((table) => table.name).sort();
    expect(names).toEqual(TABLES_IN_COPY_ORDER.map(({ table }) => table).sort());
    expect(Object.keys(await migrationProvider.getMigrations()).length).toBeGreaterThan(0);
  });

  it('reads its command line: --from and --to, optional schemas', () => {
    expect(parseCopyArguments(['--from', 'data/a.sqlite', '--to', 'postgres://h/db', '--to-schema', 'bot'])).toEqual({
      from: 'data/a.sqlite',
      to: 'postgres://h/db',
      toSchema: 'bot',
    });
    expect(() => parseCopyArguments(['--from', 'a.sqlite'])).toThrow(/usage: npm run db:copy/);
    expect(() => parseCopyArguments(['--from', 'a', '--to', 'a'])).toThrow(/same database/);
    expect(() => parseCopyArguments(['--from', 'a', '--to', 'b', '--force'])).toThrow(/usage/);
  });
});
