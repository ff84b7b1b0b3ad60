import { CopyRefused, copyDatabase, parseCopyArguments } from './store/copyDatabase.js';
import { openStore, type Store } from './store/database.js';

/**
 * `npm run db:copy -- --from <url> --to <url>`: moves a bot's data to another
 * database (SQLite → PostgreSQL, or back). Both are migrated to the latest
 * schema first (the source too: stop the bot before copying). Refuses a
 * target that holds any data.
 */
async function main(): Promise<void> {
  const args = parseCopyArguments(process.argv.slice(2));
  let from: Store | undefined;
  let to: Store | undefined;
  try {
    from = await openStore(args.from, args.fromSchema ? { schema: args.fromSchema } : {});
    to = await openStore(args.to, args.toSchema ? { schema: args.toSchema } : {});
    const report = await copyDatabase(from, to, (line) => process.stdout.write(`${line}\n`));
    const total = Object.values(report.rows).reduce((sum, count) => sum + count, 0);
    process.stdout.write(`Copied ${total} rows. Point DATABASE_URL at the new database and start the bot.\n`);
  } finally {
    await from?.close();
    await to?.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`db:copy: ${error instanceof CopyRefused || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
