import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { ConfigError, parseConfig, secretsOf } from './config/config.js';
import { createLogger } from './logger.js';
import { installProcessGuards } from './processGuards.js';
import { runShardLauncher } from './shardLauncher.js';

/**
 * `npm start`: the environment (and `.env`, when present) is the configuration.
 * A bad setting stops start-up with one line per problem.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const baseLogger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  installProcessGuards(baseLogger);
  const { sharding } = config.discord;
  if (sharding.kind === 'launcher') {
    // SHARD_IDS=auto: this process only starts and watches one child (this same file) per shard.
    await runShardLauncher({ config, logger: baseLogger, entryFile: fileURLToPath(import.meta.url), execArgv: process.execArgv });
    return;
  }
  // Every line of a shard process says which shards it runs.
  const logger = sharding.kind === 'shards' ? baseLogger.child({ shards: sharding.shardIds }) : baseLogger;

  const app = await createApp({ config, logger });
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down; unfinished jobs will resume on the next start');
    const deadline = setTimeout(() => {
      logger.warn('grace period over; exiting now');
      process.exit(1);
    }, config.shutdownGraceMs);
    deadline.unref();
    // A quarter of the grace period answers late interactions; the rest is for closing down.
    app.stop({ drainMs: Math.min(2_000, config.shutdownGraceMs / 4) }).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // A shard whose launcher is gone (killed, crashed) would run on unwatched; it stops instead.
  if (sharding.kind === 'shards' && sharding.launched) process.once('disconnect', () => shutdown('launcher gone'));
  await app.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`The bot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
