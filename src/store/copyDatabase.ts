import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Store } from './database.js';

/**
 * Every table, parents before children (job_events references jobs). A table
 * the migrations add must be named here: `copyDatabase` refuses a source with
 * a table it does not know, rather than leave data behind.
 */
export const TABLES_IN_COPY_ORDER: readonly { table: keyof Database; copy: boolean; key: string }[] = [
  { table: 'jobs', copy: true, key: 'id' },
  { table: 'job_events', copy: true, key: 'id' },
  { table: 'quota_guild_settings', copy: true, key: 'guild_id' },
  { table: 'quota_ledger', copy: true, key: 'id' },
  { table: 'quota_audit', copy: true, key: 'id' },
  { table: 'quota_member_resets', copy: true, key: 'guild_id' },
  { table: 'quota_alerts', copy: true, key: 'guild_id' },
  { table: 'member_settings', copy: true, key: 'guild_id' },
  { table: 'pending_animations', copy: true, key: 'id' },
  // One lock row the migrations create on every database: nothing to carry over.
  { table: 'quota_global', copy: false, key: 'id' },
];

const BATCH_ROWS = 500;

export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefused';
  }
}

export interface CopyReport {
  /** Rows copied, by table, in the order copied. */
  rows: Record<string, number>;
}

/**
 * Copies every row of `from` into `to` (both already migrated to the same,
 * latest schema), in dependency order and in one transaction on the target,
 * so a failure leaves the target as empty as it was. Refuses a target that
 * holds any row: merging two bots' data is not a copy.
 */
export async function copyDatabase(from: Store, to: Store, log: (line: string) => void = () => undefined): Promise<CopyReport> {
  const known = new Set<string>(TABLES_IN_COPY_ORDER.map(({ table }) => table));
  const unknown = (await tablesOf(from)).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new CopyRefused(`the source has tables this copy does not know: ${unknown.join(', ')} (add them to TABLES_IN_COPY_ORDER)`);
  }
  for (const { table, copy } of TABLES_IN_COPY_ORDER) {
    if (copy && (await countRows(to.db, table)) > 0) {
      throw new CopyRefused(`the target is not empty (table ${table} has rows): copy only into a new database`);
    }
  }
  const rows: Record<string, number> = {};
  await to.db.transaction().execute(async (target) => {
    for (const { table, copy, key } of TABLES_IN_COPY_ORDER) {
      if (!copy) continue;
      let copied = 0;
      for (let offset = 0; ; offset += BATCH_ROWS) {
        // Kysely's table-name typing cannot follow a loop over tables; the schemas are the same on both sides.
        const batch = (await from.db
          .selectFrom(table)
          .selectAll()
          .orderBy(key as never)
          .limit(BATCH_ROWS)
          .offset(offset)
          .execute()) as Record<string, unknown>[];
        if (batch.length === 0) break;
        await target.insertInto(table).values(batch as never).execute();
        copied += batch.length;
      }
      rows[table] = copied;
      log(`${table}: ${copied} rows`);
    }
  });
  return { rows };
}

/** The store's own tables (on PostgreSQL, only those of the schema it works in). */
async function tablesOf(store: Store): Promise<string[]> {
  const tables = await store.db.introspection.getTables();
  if (store.engine !== 'postgres') return tables.map((table) => table.name);
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
  const current = rows[0]?.schema;
  return tables.filter((table) => table.schema === current).map((table) => table.name);
}

async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const { count } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

export interface CopyArguments {
  from: string;
  to: string;
  /** PostgreSQL only: the schema to read or write (default: the connection's search_path). */
  fromSchema?: string;
  toSchema?: string;
}

/** `--from <url> --to <url> [--from-schema s] [--to-schema s]`; throws CopyRefused with the usage on anything else. */
export function parseCopyArguments(args: readonly string[]): CopyArguments {
  const usage = 'usage: npm run db:copy -- --from <database url> --to <database url> [--from-schema <name>] [--to-schema <name>]';
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { from: { type: 'string' }, to: { type: 'string' }, 'from-schema': { type: 'string' }, 'to-schema': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new CopyRefused(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  if (!values.from || !values.to) throw new CopyRefused(usage);
  if (values.from === values.to && values['from-schema'] === values['to-schema']) throw new CopyRefused('--from and --to name the same database');
  return {
    from: values.from,
    to: values.to,
    ...(values['from-schema'] ? { fromSchema: values['from-schema'] } : {}),
    ...(values['to-schema'] ? { toSchema: values['to-schema'] } : {}),
  };
}
