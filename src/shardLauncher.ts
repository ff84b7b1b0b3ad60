import { once } from 'node:events';
import { ChildProcess } from 'node:child_process';
import type { Worker } from 'node:worker_threads';
import { ShardingManager, type Shard } from 'discord.js';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from './config/config.js';

/**
 * SHARD_IDS=auto: this process connects to no gateway; discord.js's
 * ShardingManager starts the bot's own entry once per shard, each child told
 * its shard through SHARDS / SHARD_COUNT (src/config/shardConfig.ts), restarts
 * a child that dies, and stops them all on SIGTERM.
 */

/** Discord lets one IDENTIFY through per 5 s in each bucket (shard id % max_concurrency); ShardingManager's own spacing. */
const IDENTIFY_SPACING_MS = 5_500;
/** Login, migrations, READY and every GUILD_CREATE of a large shard; ShardingManager's default of 30 s is tight for that. */
const SHARD_READY_TIMEOUT_MS = 60_000;

/** What `GET /gateway/bot` says (https://discord.com/developers/docs/events/gateway#get-gateway-bot). */
const gatewayBotSchema = z.object({
  shards: z.number().int().positive(),
  session_start_limit: z.object({ max_concurrency: z.number().int().positive() }),
});

export interface GatewayFacts {
  /** Discord's recommended number of shards for the bot's guilds. */
  recommendedShards: number;
  /** How many shards may identify at once (different buckets). */
  maxConcurrency: number;
}

/**
 * Asked of the configured API base, not discord.com: ShardingManager's own
 * `totalShards: 'auto'` always calls discord.com, which a proxy or a test fake would not see.
 */
export async function fetchGatewayFacts(discord: Pick<Config['discord'], 'token' | 'apiBaseUrl'>): Promise<GatewayFacts> {
  const response = await fetch(`${discord.apiBaseUrl}/v10/gateway/bot`, { headers: { Authorization: `Bot ${discord.token}` } });
  if (!response.ok) {
    const why = response.status === 401 ? 'the token was refused' : `HTTP ${response.status}`;
    throw new Error(`Discord's GET /gateway/bot failed (${why}): cannot decide how many shards to start`);
  }
  const body = gatewayBotSchema.parse(await response.json());
  return { recommendedShards: body.shards, maxConcurrency: body.session_start_limit.max_concurrency };
}

export interface ShardLauncherOptions {
  config: Config;
  logger: Logger;
  /** The bot's entry (dist/src/main.js, or src/main.ts under tsx): every shard runs it again. */
  entryFile: string;
  /** Node flags for the children: the launcher's own, so a loader (tsx) or a heap size carries over. */
  execArgv: readonly string[];
}

export interface ShardLauncher {
  readonly shardCount: number;
  readonly manager: ShardingManager;
  /** Resolves once every shard has been spawned and said it is ready; rejects if one never does. */
  readonly spawned: Promise<void>;
  /** SIGTERM to every child (each drains as a single bot would), SIGKILL to any still running after the grace period. */
  stop(): Promise<void>;
}

export async function launchShards(options: ShardLauncherOptions): Promise<ShardLauncher> {
  const { config } = options;
  const plan = config.discord.sharding;
  if (plan.kind !== 'launcher') throw new Error('launchShards needs SHARD_IDS=auto');
  const log = options.logger.child({ part: 'shard-launcher' });
  const gateway = await fetchGatewayFacts(config.discord);
  const shardCount = plan.shardCount === 'recommended' ? gateway.recommendedShards : plan.shardCount;
  const httpPort = config.http.port;
  if (httpPort !== undefined && httpPort + shardCount - 1 > 65_535) {
    throw new Error(`HTTP_PORT ${httpPort} leaves no port for shard ${shardCount - 1} (each shard serves HTTP_PORT + its id)`);
  }

  const manager = new ShardingManager(options.entryFile, {
    totalShards: shardCount,
    mode: 'process',
    token: config.discord.token,
    execArgv: [...options.execArgv],
    respawn: true,
  });
  let stopping = false;
  manager.on('shardCreate', (shard: Shard) => {
    // Every child would bind the same HTTP_PORT; each takes its own: shard 0 HTTP_PORT, shard 1 the next…
    if (httpPort !== undefined && httpPort !== 0) (shard.env as Record<string, string>).HTTP_PORT = String(httpPort + shard.id);
    const shardLog = log.child({ shardId: shard.id });
    // Mode 'process': always a ChildProcess, though discord.js's types also allow a Worker.
    shard.on('spawn', (child: ChildProcess | Worker) => {
      if (!(child instanceof ChildProcess)) return;
      if (stopping) child.kill('SIGTERM');
      else shardLog.info({ childPid: child.pid }, 'shard process started');
    });
    shard.on('ready', () => shardLog.info('shard ready'));
    shard.on('death', (child: ChildProcess | Worker) => {
      if (!stopping && child instanceof ChildProcess) shardLog.warn({ exitCode: child.exitCode, signal: child.signalCode }, 'shard process exited; starting it again');
    });
    // A respawn that failed: without a listener the emitter would throw.
    shard.on('error', (error: unknown) => shardLog.error({ err: error }, 'shard process failed'));
  });

  log.info(
    { shardCount, recommendedShards: gateway.recommendedShards, maxConcurrency: gateway.maxConcurrency },
    `starting ${shardCount} shard process${shardCount === 1 ? '' : 'es'}`,
  );
  const spawned = manager
    .spawn({ amount: shardCount, delay: Math.ceil(IDENTIFY_SPACING_MS / gateway.maxConcurrency), timeout: SHARD_READY_TIMEOUT_MS })
    .then(() => log.info({ shardCount }, 'every shard is ready'));
  // Observed here so a failure during stop() is not an unhandled rejection; callers still see it through `spawned`.
  spawned.catch(() => undefined);

  return {
    shardCount,
    manager,
    spawned,
    async stop() {
      stopping = true;
      manager.respawn = false;
      const children = [...manager.shards.values()].flatMap((shard) => (shard.process ? [shard.process] : []));
      const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
      for (const child of running) child.kill('SIGTERM');
      // Each child exits within its own SHUTDOWN_GRACE_MS; a moment more before it is killed.
      const deadline = setTimeout(() => {
        for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, config.shutdownGraceMs + 1_000);
      await Promise.all(running.map((child) => (child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined)));
      clearTimeout(deadline);
      log.info({ stopped: running.length }, 'every shard process has stopped');
    },
  };
}

/** `npm start` with SHARD_IDS=auto: launch, stop the children on SIGTERM / SIGINT, exit 1 if a shard never gets ready. */
export async function runShardLauncher(options: ShardLauncherOptions): Promise<void> {
  const launcher = await launchShards(options);
  let stopped: Promise<void> | undefined;
  const stop = (exitCode: number) => {
    stopped ??= launcher.stop().then(
      () => process.exit(exitCode),
      (error: unknown) => {
        options.logger.error({ err: error }, 'error while stopping the shard processes');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  launcher.spawned.catch((error: unknown) => {
    options.logger.error({ err: error }, 'a shard process did not get ready; stopping');
    stop(1);
  });
}
