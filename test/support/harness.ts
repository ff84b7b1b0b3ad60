import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { InteractionHandler } from '../../commands/interaction.js';
import { createApp, type App } from '../../src/app.js';
import { parseConfig, secretsOf, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import type { JobState } from '../../src/jobs/states.js';
import type { Clock } from '../../src/util/clock.js';
import type { ModelRegistry } from '../../src/fal/models/registry.js';
import type { QuotaService } from '../../src/quota/quotaTypes.js';
import type { Job } from '../../src/jobs/job.js';
import type { FfmpegBinary } from '../../src/media/video/locateFfmpeg.js';
import { startFakeDiscord, type CdnBehaviour, type FakeDiscord, type InteractionEvent, type InteractionHandle, type SlashOptionInput } from '../fakes/fakeDiscord.js';
import { startFakeFal, type FakeFal, type FalScript } from '../fakes/fakeFal.js';
import { TEST_POSTGRES_URL, dropSchema, uniqueSchema, type TestEngine } from './engines.js';
import { TEST_REDIS_URL, dropRedisPrefix, uniqueRedisPrefix } from './redis.js';

/** Recognisable fake secrets: tests prove they never show up in logs or messages. */
export const FAKE_DISCORD_TOKEN = 'fake-discord-token.SECRET-9f8e7d6c5b4a';
export const FAKE_FAL_KEY = 'fake-fal-key-id:SECRET-0a1b2c3d4e5f';

export interface HarnessOptions {
  env?: Record<string, string>;
  falScript?: FalScript;
  databaseUrl?: string;
  quota?: QuotaService;
  /** The app's clock (jobs, quota periods, cooldowns); defaults to Date.now. */
  now?: Clock;
  /** 'postgres' runs on TEST_POSTGRES_URL in a schema of its own, dropped by close(). */
  engine?: TestEngine;
  /**
   * Keep the operator's quota defaults (budget $10 a month, 5 clips per member
   * per day…). Otherwise the harness leaves room for every clip a job test
   * makes: job tests are not about quotas, and quota tests set their rules.
   */
  operatorQuotaDefaults?: boolean;
  /** The models the bot may run (the first is the default); defaults to the app's own. */
  models?: ModelRegistry;
  /** Where log lines go besides the in-memory list (the demo prints nothing of them). */
  logLevel?: string;
  /** What the router answers instead of commands/registry.ts (router tests add handlers of every kind). */
  interactionHandlers?: readonly InteractionHandler[];
  /** The bot's ffmpeg; null runs it without one. Defaults to what the bot finds itself (the npm package's, in tests). */
  ffmpeg?: FfmpegBinary | null;
  /** First wait after fal refused a submit as busy without Retry-After (the app's default is seconds). */
  submitBackoffMs?: number;
  /**
   * Scale-out mode: steps as BullMQ jobs on this Redis (TEST_REDIS_URL unless
   * given), under a key prefix of the test's own that close() deletes. Needs engine 'postgres'.
   */
  queue?: { redisUrl?: string };
}

/** Room for every clip a job test makes (see HarnessOptions.operatorQuotaDefaults). */
export const ROOMY_QUOTA_ENV: Record<string, string> = {
  DEFAULT_GUILD_BUDGET_USD: '100',
  DEFAULT_MEMBER_CLIPS_PER_DAY: '0',
  DEFAULT_MEMBER_CONCURRENT_JOBS: '0',
  DEFAULT_GUILD_CONCURRENT_JOBS: '0',
  GLOBAL_DAILY_BUDGET_USD: '1000',
};

export interface Harness {
  readonly discord: FakeDiscord;
  readonly fal: FakeFal;
  readonly config: Config;
  /** Every JSON log line the bot wrote. */
  readonly logLines: string[];
  readonly engine: TestEngine;
  app: App;
  /** Stops the bot (jobs stay in the store) and starts a new one on the same database. */
  restart(): Promise<App>;
  close(): Promise<void>;
}

export interface AnimateOptions {
  image: Buffer;
  imageName?: string;
  imageContentType?: string;
  declaredSize?: number;
  /** The attachment URL Discord claims, e.g. on a host outside the allowlist. */
  imageUrl?: string;
  /** How the fake CDN serves the image: redirect, drip, endless body… */
  imageCdn?: CdnBehaviour;
  prompt?: string;
  extra?: SlashOptionInput[];
  attachmentSizeLimit?: number;
  userId?: string;
  /** The bot's permissions in the channel, as the interaction reports them. */
  appPermissions?: string;
  /** The member's client language (`locale`) and the server's (`guild_locale`); both default to en-US. */
  locale?: string;
  guildLocale?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const discord = await startFakeDiscord();
  const fal = await startFakeFal(options.falScript ? { defaultScript: options.falScript } : {});
  const directory = mkdtempSync(join(tmpdir(), 'animate-test-'));
  const engine: TestEngine = options.engine ?? (options.databaseUrl && /^postgres/i.test(options.databaseUrl) ? 'postgres' : 'sqlite');
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  const queue = options.queue ? { redisUrl: options.queue.redisUrl ?? TEST_REDIS_URL, prefix: uniqueRedisPrefix() } : undefined;
  const databaseUrl = options.databaseUrl ?? (engine === 'postgres' ? TEST_POSTGRES_URL : join(directory, 'animate.sqlite'));
  const config = parseConfig({
    ...(options.operatorQuotaDefaults ? {} : ROOMY_QUOTA_ENV),
    DISCORD_TOKEN: FAKE_DISCORD_TOKEN,
    DISCORD_APPLICATION_ID: discord.applicationId,
    FAL_KEY: FAKE_FAL_KEY,
    DATABASE_URL: databaseUrl,
    DISCORD_API_BASE_URL: discord.apiBaseUrl,
    DISCORD_CDN_BASE_URL: discord.cdnBaseUrl,
    // The dashboard (off unless a test gives DISCORD_CLIENT_SECRET) logs in through the fake's OAuth2 pages.
    DISCORD_OAUTH_BASE_URL: discord.cdnBaseUrl,
    FAL_BASE_URL: fal.baseUrl,
    ATTACHMENT_HOSTS: discord.attachmentHost,
    POLL_INTERVAL_MS: '25',
    // Most tests script fal's answers status read by status read; the status stream has tests of its own.
    FAL_STATUS_MODE: 'poll',
    PROGRESS_EDIT_INTERVAL_MS: '150',
    LOG_LEVEL: options.logLevel ?? 'debug',
    // fal's webhooks (when a test sets PUBLIC_URL) are signed with the fake's test key.
    FAL_WEBHOOK_JWKS_URL: fal.jwksUrl,
    ...(queue ? { REDIS_URL: queue.redisUrl, REDIS_PREFIX: queue.prefix } : {}),
    ...options.env,
  });
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config), destination });

  const boot = async () => {
    const app = await createApp({
      config,
      logger,
      finalEditRetryDelayMs: 20,
      ...(options.quota ? { quota: options.quota } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.models ? { models: options.models } : {}),
      ...(options.interactionHandlers ? { interactionHandlers: options.interactionHandlers } : {}),
      ...(options.ffmpeg !== undefined ? { ffmpeg: options.ffmpeg } : {}),
      ...(options.submitBackoffMs !== undefined ? { submitBackoffMs: options.submitBackoffMs } : {}),
      ...(schema ? { store: { schema } } : {}),
    });
    await app.start();
    return app;
  };

  let firstApp: App;
  try {
    firstApp = await boot();
  } catch (error) {
    // Nothing would ever close what was started: do it here (and drop the schema).
    await discord.close();
    await fal.close();
    if (schema) await dropSchema(databaseUrl, schema).catch(() => undefined);
    if (queue) await dropRedisPrefix(queue.redisUrl, queue.prefix).catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }

  const harness: Harness = {
    discord,
    fal,
    config,
    logLines,
    engine,
    app: firstApp,
    async restart() {
      await harness.app.stop();
      harness.app = await boot();
      return harness.app;
    },
    async close() {
      await harness.app.stop().catch(() => undefined);
      await discord.close();
      await fal.close();
      if (schema) await dropSchema(databaseUrl, schema);
      if (queue) await dropRedisPrefix(queue.redisUrl, queue.prefix).catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Plays a member running `/animate image:<file> prompt:<text> …`. */
export function animate(harness: Harness, options: AnimateOptions): Promise<InteractionHandle> {
  return harness.discord.sendCommand({
    name: 'animate',
    ...(options.userId ? { userId: options.userId } : {}),
    ...(options.attachmentSizeLimit ? { attachmentSizeLimit: options.attachmentSizeLimit } : {}),
    ...(options.appPermissions !== undefined ? { appPermissions: options.appPermissions } : {}),
    ...(options.locale !== undefined ? { locale: options.locale } : {}),
    ...(options.guildLocale !== undefined ? { guildLocale: options.guildLocale } : {}),
    options: [
      {
        name: 'image',
        type: 11,
        attachment: {
          filename: options.imageName ?? 'picture.png',
          bytes: options.image,
          contentType: options.imageContentType ?? 'image/png',
          ...(options.declaredSize !== undefined ? { declaredSize: options.declaredSize } : {}),
          ...(options.imageUrl !== undefined ? { url: options.imageUrl } : {}),
          ...(options.imageCdn !== undefined ? { cdn: options.imageCdn } : {}),
        },
      },
      { name: 'prompt', type: 3, value: options.prompt ?? 'the cat slowly turns its head and blinks' },
      ...(options.extra ?? []),
    ],
  });
}

/** The last word on a job: an edit (or reply) that shows ✅ or ❌. */
export function finalMessage(handle: InteractionHandle, timeoutMs = 15_000): Promise<InteractionEvent> {
  return handle.waitForEvent((event) => {
    const content: unknown = event.kind === 'callback' ? event.body?.data?.content : event.body?.content;
    return typeof content === 'string' && /✅|❌/.test(content);
  }, timeoutMs);
}

export function contentOf(event: InteractionEvent): string {
  const content: unknown = event.kind === 'callback' ? event.body?.data?.content : event.body?.content;
  return typeof content === 'string' ? content : '';
}

/** Polls the store until a job is in one of `states`; returns it. */
export async function waitForJobIn(harness: Harness, states: string[], timeoutMs = 10_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [job] = await harness.app.jobRepository.inStates(states as JobState[]);
    if (job) return job;
    if (Date.now() > deadline) throw new Error(`no job reached ${states.join('/')} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
