import { Events, Status, type Client } from 'discord.js';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
// The composition root is the one file in src/ that imports commands/: it hands
// the router its handlers and the messenger the custom ids of the buttons it draws.
import { cancelButtonId } from '../commands/cancelJob.js';
import type { InteractionHandler } from '../commands/interaction.js';
import { interactionHandlers } from '../commands/registry.js';
import { resultButtonsFor } from '../commands/resultButtons.js';
import { createInteractionRouter } from '../commands/router.js';
import type { Config } from './config/config.js';
import { createDiscordClient } from './discord/client.js';
import { JobMessenger } from './discord/jobMessenger.js';
import { createModLogAlerts } from './discord/modLogAlerts.js';
import { createFalGateway, type FalGateway } from './fal/falGateway.js';
import { createReadiness, type Readiness } from './http/readiness.js';
import { FAL_WEBHOOK_PATH, falWebhookRoute } from './http/falWebhookRoute.js';
import { createHttpServer, type HttpPlugin, type HttpServer } from './http/server.js';
import { createWebhookVerifier } from './fal/webhookVerifier.js';
import { createFalHints, type FalHints } from './jobs/falHints.js';
import { relayHintsAcrossProcesses } from './queue/hintRelay.js';
import { QueueScheduler } from './queue/queueScheduler.js';
import { openRedis } from './queue/redis.js';
import { webhookPacer } from './jobs/tracking.js';
import { createBotMetrics } from './metrics/botMetrics.js';
import { observeDiscordRequests } from './metrics/discordRequests.js';
import { createModelRegistry, withPrices, type ModelRegistry } from './fal/models/registry.js';
import { wan25 } from './fal/models/wan25.js';
import { createJobEvents, type JobEvents } from './jobs/events.js';
import { createJobs, type Jobs } from './jobs/jobs.js';
import { keepMembersInformed } from './jobs/memberUpdates.js';
import { locateFfmpeg, type FfmpegBinary } from './media/video/locateFfmpeg.js';
import { JobRepository } from './jobs/jobRepository.js';
import { MemberSettingsRepository } from './jobs/memberSettings.js';
import { PendingAnimations } from './jobs/pendingAnimations.js';
import { TimingHistory } from './jobs/timingHistory.js';
import type { Clock } from './util/clock.js';
import { sleep } from './util/sleep.js';
import { QuotaAdministration } from './quota/quotaAdministration.js';
import { QuotaLedger } from './quota/quotaLedger.js';
import { SpendingReport } from './quota/spendingReport.js';
import { JobHistory } from './jobs/jobHistory.js';
import { dashboardPlugin } from './http/dashboard/dashboardPlugin.js';
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
  /** The models jobs may run; the first is the default. Defaults to WAN 2.5 at the operator's prices. */
  models?: ModelRegistry;
  /** What the router answers; defaults to every handler in commands/registry.ts (tests add their own). */
  interactionHandlers?: readonly InteractionHandler[];
  /** The ffmpeg to use; null runs without one (tests). Defaults to locating it from the config. */
  ffmpeg?: FfmpegBinary | null;
  /** Fastify plugins for the HTTP server (the moderators' dashboard); served only when HTTP_PORT is set. */
  httpPlugins?: readonly HttpPlugin[];
  /** First wait after fal refused a submit as busy without saying how long (tests shorten it). */
  submitBackoffMs?: number;
}

export interface App {
  readonly config: Config;
  readonly client: Client;
  readonly store: Store;
  readonly jobs: Jobs;
  /** Every job state change, for subscribers (the messenger, and tests). */
  readonly events: JobEvents;
  readonly models: ModelRegistry;
  readonly jobRepository: JobRepository;
  readonly fal: FalGateway;
  /** The jobs' side of quotas: reserve, commit, refund. */
  readonly ledger: QuotaLedger;
  /** The moderators' side: settings, audit and reports (/quota, /usage). */
  readonly quota: QuotaAdministration;
  /** The ffmpeg that fits videos to Discord's upload limit and extends them; undefined when there is none. */
  readonly ffmpeg: FfmpegBinary | undefined;
  /** The process's metrics (served at /metrics when the HTTP server runs). */
  readonly metrics: Registry;
  /** What /readyz checks; other parts add theirs (a queue in scale-out mode). */
  readonly readiness: Readiness;
  /** The HTTP server once started, when HTTP_PORT is set. */
  readonly http: HttpServer | undefined;
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
  const ffmpeg = options.ffmpeg === undefined ? await findFfmpeg(config, logger) : (options.ffmpeg ?? undefined);
  const store = await openStore(config.databaseUrl, options.store);
  const client = createDiscordClient(config.discord);
  const events = createJobEvents(logger);
  const metrics = createBotMetrics(new Registry(), events);
  observeDiscordRequests(client.rest, metrics.observeDiscord);
  const models = options.models ?? createModelRegistry([withPrices(wan25, config.priceCentsPerSecond)]);
  const { publicUrl } = config.webhooks;
  const fal = createFalGateway({
    key: config.fal.key,
    baseUrl: config.fal.baseUrl,
    endpointIds: models.all.map((model) => model.endpointId),
    logger: logger.child({ part: 'fal' }),
    observe: metrics.observeFal,
    webhookUrl: publicUrl ? `${publicUrl}${FAL_WEBHOOK_PATH}` : undefined,
  });
  const queue = config.queue;
  const redis = queue
    ? {
        main: openRedis(queue.redisUrl, 'animate-queue', logger),
        // BullMQ's worker blocks a connection of its own; a gateway-only process runs no worker.
        worker: config.role === 'gateway' ? undefined : openRedis(queue.redisUrl, 'animate-worker', logger),
      }
    : undefined;
  // With a public URL fal calls us when a job ends; the trackers wait for that (or a slow safety poll).
  // In scale-out mode the webhook may land on another process than the job's tracker: hints go through Redis.
  const localHints = publicUrl ? createFalHints() : undefined;
  const relay =
    localHints && redis && queue
      ? await relayHintsAcrossProcesses(localHints, {
          publisher: redis.main,
          subscriber: openRedis(queue.redisUrl, 'animate-hints', logger),
          prefix: queue.prefix,
          logger,
        })
      : undefined;
  const hints: FalHints | undefined = relay ?? localHints;
  const httpPlugins: HttpPlugin[] = [...(options.httpPlugins ?? [])];
  if (hints) {
    const verifier = createWebhookVerifier({ jwksUrl: config.webhooks.jwksUrl });
    httpPlugins.push(falWebhookRoute({ verifier, hints, logger: logger.child({ part: 'fal-webhook' }) }));
  }
  const jobRepository = new JobRepository(store.db, now);
  const ledger = new QuotaLedger({
    store,
    config,
    alerts: createModLogAlerts(client.rest),
    logger: logger.child({ part: 'quota' }),
    now,
  });
  const quota = new QuotaAdministration({ store, config, logger: logger.child({ part: 'quota' }), now });
  if (config.dashboard) {
    // The moderators' dashboard is served by the same HTTP server (HTTP_PORT) as health, metrics and webhooks.
    httpPlugins.push(
      dashboardPlugin({
        config: { ...config, dashboard: config.dashboard },
        quota,
        spending: new SpendingReport(store),
        jobs: new JobHistory(store.db),
        rest: client.rest,
        logger: logger.child({ part: 'dashboard' }),
        now,
      }),
    );
  }
  const messenger = new JobMessenger({
    rest: client.rest,
    logger,
    editIntervalMs: config.progressEditIntervalMs,
    now,
    cancelButtonId,
    resultButtons: resultButtonsFor({ quota, models, canExtend: ffmpeg !== undefined }),
    ...(options.finalEditRetryDelayMs !== undefined ? { retryDelayMs: options.finalEditRetryDelayMs } : {}),
  });
  const timings = new TimingHistory({ jobs: jobRepository, models, logger });
  timings.watch(events);
  keepMembersInformed(events, messenger, timings, now);
  const jobs = createJobs({
    config,
    jobs: jobRepository,
    fal,
    models,
    quota: options.quota ?? ledger,
    events,
    courier: messenger,
    ffmpeg,
    logger,
    now,
    ...(options.submitBackoffMs !== undefined ? { submitBackoffMs: options.submitBackoffMs } : {}),
    ...(hints ? { pacer: webhookPacer(hints, config.webhooks.safetyPollMs) } : {}),
    ...(redis && queue
      ? {
          scheduler: (parts) =>
            new QueueScheduler({
              ...parts,
              connection: redis.main,
              workerConnection: redis.worker,
              prefix: queue.prefix,
              logger: logger.child({ part: 'queue' }),
              now,
            }),
        }
      : {}),
  });
  let stopping = false;
  let http: HttpServer | undefined;
  const readiness = createReadiness([
    // A worker process has no gateway connection by design.
    ...(config.role === 'worker' ? [] : [{ name: 'discord gateway', check: () => client.ws.status === Status.Ready }]),
    { name: 'store', check: async () => (await sql`select 1 as ok`.execute(store.db), true) },
    ...(queue ? [{ name: 'queue', check: () => jobs.ready() }] : []),
    { name: 'not shutting down', check: () => !stopping && !jobs.stopping },
  ]);
  const inFlight = new Set<Promise<void>>();
  const route = createInteractionRouter({
    handlers: options.interactionHandlers ?? interactionHandlers,
    context: {
      config,
      jobs,
      models,
      quota,
      memberSettings: new MemberSettingsRepository(store.db, now),
      pendingAnimations: new PendingAnimations(store.db, now),
      logger,
    },
    logger,
    isStopping: () => stopping || jobs.stopping,
  });

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
    events,
    models,
    jobRepository,
    fal,
    ledger,
    quota,
    ffmpeg,
    metrics: metrics.registry,
    readiness,
    get http() {
      return http;
    },
    async start() {
      const startedAt = now();
      if (config.http.port !== undefined) {
        http = await createHttpServer({
          config: { port: config.http.port, host: config.http.host },
          registry: metrics.registry,
          readiness,
          logger: logger.child({ part: 'http' }),
          plugins: httpPlugins,
        });
      }
      if (config.role === 'worker') {
        // Steps only: progress edits and videos go over REST with the token; no interactions come here.
        client.rest.setToken(config.discord.token);
      } else {
        const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
        await client.login(config.discord.token);
        await ready;
      }
      const { resumed, failed, settled } = await jobs.resume(startedAt);
      logger.info({ user: client.user?.tag, role: config.role, resumed, failedOnStart: failed, settledOnStart: settled }, 'bot is ready');
    },
    async stop(options = {}) {
      stopping = true;
      // In scale-out mode other processes are waiting for this one's steps: hand them back at once.
      const jobsStopped = queue ? jobs.stop() : undefined;
      // Stay connected a moment so interactions arriving now hear "restarting"
      // instead of timing out, and let those already being handled finish.
      if (options.drainMs) await sleep(options.drainMs);
      await Promise.allSettled([...inFlight]);
      await (jobsStopped ?? jobs.stop());
      relay?.close();
      await ledger.idle();
      // Last: until here /readyz answered 503 "not shutting down" to the load balancer.
      await http?.close();
      await client.destroy();
      await store.close();
    },
  };
}

/** Found once at start; says which one (or that videos will degrade) in the log. */
async function findFfmpeg(config: Config, logger: Logger): Promise<FfmpegBinary | undefined> {
  const ffmpeg = await locateFfmpeg({ searchPath: config.ffmpeg.searchPath, configuredPath: config.ffmpeg.path });
  if (ffmpeg) logger.info({ ffmpeg }, `using ffmpeg ${ffmpeg.version} (${ffmpeg.source})`);
  else logger.warn('no ffmpeg found: videos over the upload limit are sent as links, and Extend is off');
  return ffmpeg;
}
