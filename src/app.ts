import { Events, type Client } from 'discord.js';
import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import { createDiscordClient } from './discord/client.js';
import { JobMessenger } from './discord/jobMessenger.js';
import { createModLogAlerts } from './discord/modLogAlerts.js';
import { createInteractionRouter } from './discord/router.js';
import { createFalGateway, type FalGateway } from './fal/falGateway.js';
import { JobRepository, type Clock } from './jobs/jobRepository.js';
import { JobService } from './jobs/jobService.js';
import { sleep } from './jobs/sleep.js';
import { QuotaAdministration } from './quota/quotaAdministration.js';
import { QuotaLedger } from './quota/quotaLedger.js';
import type { QuotaService } from './quota/quotaTypes.js';
import { openStore, type OpenStoreOptions, type Store } from './store/database.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  /** The one clock: jobs, quota periods and cooldowns all read it (tests pass a fake). */
  now?: Clock;
  /** Replaces the quota seam the jobs use (tests); /quota and /usage still read the store. */
  quota?: QuotaService;
  store?: OpenStoreOptions;
  /** Backoff between attempts at a job's final Discord edit (tests shorten it). */
  finalEditRetryDelayMs?: number;
}

export interface App {
  readonly config: Config;
  readonly client: Client;
  readonly store: Store;
  readonly jobs: JobService;
  readonly jobRepository: JobRepository;
  readonly fal: FalGateway;
  /** The jobs' side of quotas: reserve, commit, refund. */
  readonly ledger: QuotaLedger;
  /** The moderators' side: settings, audit and reports (/quota, /usage). */
  readonly quota: QuotaAdministration;
  /** Logs in, waits for READY, then resumes unfinished jobs. */
  start(): Promise<void>;
  /**
   * Stops taking work (new interactions are told the bot is restarting), waits
   * `drainMs` and for in-flight interactions, ends background loops (jobs stay
   * resumable), logs out and closes the store.
   */
  stop(options?: { drainMs?: number }): Promise<void>;
}

/**
 * The composition root shared by `npm start`, the demo and the end-to-end
 * tests: every dependency is built here from the config and passed down.
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const store = await openStore(config.databaseUrl, options.store);
  const client = createDiscordClient(config.discord);
  const fal = createFalGateway({ key: config.fal.key, baseUrl: config.fal.baseUrl, logger: logger.child({ part: 'fal' }) });
  const jobRepository = new JobRepository(store.db, now);
  const ledger = new QuotaLedger({
    store,
    config,
    alerts: createModLogAlerts(client.rest),
    logger: logger.child({ part: 'quota' }),
    now,
  });
  const quota = new QuotaAdministration({ store, config, logger: logger.child({ part: 'quota' }), now });
  const messenger = new JobMessenger({
    rest: client.rest,
    logger,
    editIntervalMs: config.progressEditIntervalMs,
    now,
    ...(options.finalEditRetryDelayMs !== undefined ? { retryDelayMs: options.finalEditRetryDelayMs } : {}),
  });
  const jobs = new JobService({
    config,
    jobs: jobRepository,
    fal,
    quota: options.quota ?? ledger,
    notifier: messenger,
    logger,
    now,
  });
  let stopping = false;
  const inFlight = new Set<Promise<void>>();
  const route = createInteractionRouter({ context: { config, jobs, quota, logger }, logger, isStopping: () => stopping || jobs.stopping });

  client.on(Events.InteractionCreate, (interaction) => {
    // Tracked so shutdown can let every acknowledgement already under way finish.
    const handling = route(interaction).finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));

  return {
    config,
    client,
    store,
    jobs,
    jobRepository,
    fal,
    ledger,
    quota,
    async start() {
      const startedAt = now();
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.discord.token);
      await ready;
      const { resumed, failed, settled } = await jobs.resume(startedAt);
      logger.info({ user: client.user?.tag, resumed, failedOnStart: failed, settledOnStart: settled }, 'bot is ready');
    },
    async stop(options = {}) {
      stopping = true;
      // Stay connected a moment so interactions arriving now hear "restarting"
      // instead of timing out, and let those already being handled finish.
      if (options.drainMs) await sleep(options.drainMs);
      await Promise.allSettled([...inFlight]);
      await jobs.stop();
      await ledger.idle();
      await client.destroy();
      await store.close();
    },
  };
}
