import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { withPreparedStatements } from '../../src/store/statementCache.js';

/** An in-memory database that counts how often SQLite is asked to prepare. */
function countingDatabase() {
  const database = new Database(':memory:');
  database.exec('create table t (id integer primary key, v text)');
  database.exec("insert into t (v) values ('a'), ('b'), ('c')");
  const prepared: string[] = [];
  const prepare = database.prepare.bind(database);
  database.prepare = ((text: string) => {
    prepared.push(text);
    return prepare(text);
  }) as typeof database.prepare;
  return { database, prepared };
}

describe('withPreparedStatements', () => {
  it('prepares each SQL text once and hands the same statement out again', () => {
    const { database, prepared } = countingDatabase();
    const cached = withPreparedStatements(database);
    const first = cached.prepare('select v from t where id = ?');
    const again = cached.prepare('select v from t where id = ?');
    expect(again).toBe(first);
    expect(again.all([2])).toEqual([{ v: 'b' }]);
    expect(prepared).toEqual(['select v from t where id = ?']);
  });

  it('prepares a fresh statement while the cached one is busy being iterated', () => {
    const { database } = countingDatabase();
    const cached = withPreparedStatements(database);
    const text = 'select v from t order by id';
    const iterating = cached.prepare(text).iterate([]);
    expect(iterating.next().value).toEqual({ v: 'a' });
    const other = cached.prepare(text);
    expect(other.all([])).toHaveLength(3);
    expect([...iterating]).toEqual([{ v: 'b' }, { v: 'c' }]);
  });

  it('keeps at most the given number of statements, dropping the least recently used', () => {
    const { database, prepared } = countingDatabase();
    const cached = withPreparedStatements(database, 2);
    const [a, b, c] = ['select 1', 'select 2', 'select 3'];
    cached.prepare(a!);
    cached.prepare(b!);
    cached.prepare(a!); // a is now the most recently used
    cached.prepare(c!); // drops b
    cached.prepare(a!);
    cached.prepare(b!);
    expect(prepared).toEqual([a, b, c, b]);
  });
});

describe('openStore on SQLite', () => {
  let store: Store | undefined;
  let directory: string | undefined;
  afterEach(async () => {
    await store?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('writes ahead (WAL) and syncs at checkpoints only (synchronous = NORMAL)', async () => {
    directory = mkdtempSync(join(tmpdir(), 'animate-store-'));
    store = await openStore(join(directory, 'animate.sqlite'));
    const { rows: journal } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    const { rows: synchronous } = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
    expect(journal[0]?.journal_mode).toBe('wal');
    // 1 = NORMAL (0 OFF, 2 FULL, 3 EXTRA).
    expect(synchronous[0]?.synchronous).toBe(1);
  });
});
