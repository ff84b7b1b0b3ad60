import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { usdEnv } from '../quota/money.js';
import { OPERATOR_DEFAULTS_ENV, operatorDefaultsFrom, type QuotaDefaults } from '../quota/rules.js';
import { wan25 } from '../fal/models/wan25.js';
import { DASHBOARD_ENV, dashboardConfigFrom, type DashboardConfig } from './dashboardConfig.js';
import { SHARD_ENV, shardPlanFrom, type ShardPlan } from './shardConfig.js';
import { DURATIONS, RESOLUTIONS, type DurationSeconds, type Resolution } from './videoChoices.js';

/**
 * The only reader of process.env. Parsed once at start-up; a bad value stops
 * the process with one readable line per problem (see formatConfigProblems).
 */

/** fal's webhook signing keys (PROTOCOLS.md §2). */
const FAL_JWKS_URL = 'https://rest.alpha.fal.ai/.well-known/jwks.json';

/** The default model decides which resolutions and durations the settings may name. */
const MODEL = wan25;
export type { DurationSeconds, Resolution } from './videoChoices.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord snowflake (17–20 digits)');
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://')
  .transform((value) => value.replace(/\/+$/, ''));
const hostList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter((host) => host.length > 0),
  )
  .pipe(z.array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/, 'each host must look like host or host:port')).min(1));

const snowflakeList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id.length > 0),
  )
  .pipe(z.array(z.string().regex(/^\d{17,20}$/, 'must be a comma-separated list of Discord ids (17–20 digits each)')));
function oneOf(values: readonly string[], message: string) {
  return z.string().refine((value) => values.includes(value), message);
}

/** Public per-second prices in US cents, by resolution (PROTOCOLS.md §1). */
const priceTable = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be JSON like ${JSON.stringify(MODEL.priceCentsPerSecond)}` });
      return z.NEVER;
    }
  })
  .pipe(z.object(Object.fromEntries(RESOLUTIONS.map((resolution) => [resolution, z.number().nonnegative()]))));

const envSchema = z.object({
  DISCORD_TOKEN: z.string().trim().min(20, 'is missing or too short to be a bot token'),
  DISCORD_APPLICATION_ID: snowflake,
  FAL_KEY: z
    .string()
    .trim()
    .min(8, 'is missing or too short to be a fal key')
    .regex(/^\S+$/, 'must not contain spaces'),
  DATABASE_URL: z.string().trim().min(1).default('./data/animate.sqlite'),
  DISCORD_API_BASE_URL: httpUrl.default('https://discord.com/api'),
  DISCORD_CDN_BASE_URL: httpUrl.default('https://cdn.discordapp.com'),
  FAL_BASE_URL: httpUrl.optional(),
  ATTACHMENT_HOSTS: hostList.default(['cdn.discordapp.com', 'media.discordapp.net']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  POLL_INTERVAL_MS: positiveInt(3_000),
  PROGRESS_EDIT_INTERVAL_MS: positiveInt(4_000),
  JOB_MAX_WAIT_SECONDS: positiveInt(1_200),
  QUEUE_MAX_WAIT_SECONDS: positiveInt(600),
  DOWNLOAD_TIMEOUT_MS: positiveInt(20_000),
  VIDEO_MAX_BYTES: positiveInt(100 * 1024 * 1024),
  DEFAULT_RESOLUTION: oneOf(RESOLUTIONS, `must be one of ${RESOLUTIONS.join(', ')}`).default(MODEL.defaults.resolution),
  DEFAULT_DURATION: oneOf(DURATIONS, `must be one of ${DURATIONS.join(', ')}`).default(String(MODEL.defaults.durationSeconds)),
  PRICE_CENTS_PER_SECOND: priceTable.default({ ...MODEL.priceCentsPerSecond }),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
  FFMPEG_PATH: z.string().trim().refine((value) => isAbsolute(value), 'must be an absolute path to the ffmpeg binary').optional(),
  // The process's own search path, read here (the one reader of the environment) for finding ffmpeg.
  PATH: z.string().optional(),
  // Quotas: operator defaults for servers without their own settings, and global caps.
  GLOBAL_DAILY_BUDGET_USD: usdEnv({ defaultCents: 5_000, maxUsd: 1_000_000 }),
  MAX_GUILD_BUDGET_USD: usdEnv({ defaultCents: 100_000, maxUsd: 1_000_000 }),
  // DEFAULT_GUILD_BUDGET_USD, DEFAULT_MEMBER_CLIPS_PER_DAY, …: one per quota rule, declared with the rule (src/quota/rules.ts).
  ...OPERATOR_DEFAULTS_ENV,
  ALLOWED_GUILD_IDS: snowflakeList.default([]),
  QUOTA_ADMIN_ROLE_IDS: snowflakeList.default([]),
  // Operations: health, readiness and metrics over HTTP; fal webhooks; fal's busy answers.
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  HTTP_HOST: z.string().trim().min(1).default('0.0.0.0'),
  FAL_WEBHOOK_JWKS_URL: httpUrl.default(FAL_JWKS_URL),
  FAL_SAFETY_POLL_SECONDS: positiveInt(60),
  FAL_SUBMIT_RETRY_SECONDS: z.coerce.number().int().min(0).default(120),
  FAL_STATUS_MODE: z.enum(['stream', 'poll']).default('stream'),
  PREPARE_CONCURRENCY: positiveInt(4),
  // Scale-out: job steps as BullMQ jobs on Redis, shared by every process (needs PostgreSQL).
  REDIS_URL: z.string().trim().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  PROCESS_ROLE: z.enum(['all', 'gateway', 'worker']).default('all'),
  REDIS_PREFIX: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores').default('animate'),
  // The moderators' dashboard (off without DISCORD_CLIENT_SECRET): see dashboardConfig.ts.
  ...DASHBOARD_ENV,
  // Gateway shards this process runs (SHARD_COUNT, SHARD_IDS): see shardConfig.ts.
  ...SHARD_ENV,
});

export type Env = Record<string, string | undefined>;
export type { ShardPlan } from './shardConfig.js';

const deployEnvSchema = envSchema.pick({ DISCORD_TOKEN: true, DISCORD_APPLICATION_ID: true, DISCORD_API_BASE_URL: true });

export interface Config {
  discord: {
    token: string;
    applicationId: string;
    apiBaseUrl: string;
    cdnBaseUrl: string;
    /** Which gateway shards this process connects, or that it launches one process per shard. */
    sharding: ShardPlan;
  };
  fal: {
    key: string;
    /** When set, every fal host (queue, storage, CDN) is rewritten to this base. */
    baseUrl: string | undefined;
  };
  databaseUrl: string;
  attachmentHosts: readonly string[];
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  pollIntervalMs: number;
  progressEditIntervalMs: number;
  jobMaxWaitMs: number;
  /** Cancel (and refund) a job still waiting in fal's queue after this long. */
  queueMaxWaitMs: number;
  downloadTimeoutMs: number;
  videoMaxBytes: number;
  defaults: { resolution: Resolution; duration: DurationSeconds };
  priceCentsPerSecond: Record<Resolution, number>;
  shutdownGraceMs: number;
  /** Where to look for ffmpeg (src/media/video/locateFfmpeg.ts): the operator's binary, else PATH, else the npm package. */
  ffmpeg: {
    /** FFMPEG_PATH: when set, the only candidate, and one that does not run stops start-up. */
    path: string | undefined;
    /** The environment's PATH. */
    searchPath: string | undefined;
  };
  quota: QuotaConfig;
  http: {
    /** Undefined: no HTTP server (health, metrics and webhooks are off). 0 picks a free port (tests). */
    port: number | undefined;
    host: string;
  };
  webhooks: {
    /** The bot's public base URL; when set, fal calls `<publicUrl>/fal/webhook` instead of being polled. */
    publicUrl: string | undefined;
    jwksUrl: string;
    /** In webhook mode, how often fal is still asked, in case a webhook was lost. */
    safetyPollMs: number;
  };
  /** How long a submit fal refused as busy (429, 503 with Retry-After) is tried again. */
  submitRetryMs: number;
  /**
   * Without webhooks, how the bot learns a job's progress: fal's status stream
   * (one open request per job, news as it happens) or a status read every POLL_INTERVAL_MS.
   */
  statusMode: 'stream' | 'poll';
  /** Jobs whose picture is downloaded, checked and uploaded at once in this process; the rest wait their turn. */
  prepareConcurrency: number;
  /** Scale-out mode (REDIS_URL): job steps run as BullMQ jobs shared by every process; null runs them in-process. */
  queue: { redisUrl: string; prefix: string } | null;
  /**
   * What this process does: 'all' (the default) answers interactions and runs
   * job steps; in scale-out mode 'gateway' only answers interactions (its
   * event loop stays free for acknowledgements) and 'worker' only runs steps
   * (no gateway connection; it talks to Discord over REST with the stored tokens).
   */
  role: 'all' | 'gateway' | 'worker';
  /** The moderators' web dashboard; null when it is off (no DISCORD_CLIENT_SECRET). */
  dashboard: DashboardConfig | null;
}

export interface QuotaConfig {
  /** Spend per UTC day across every server; 0 stops all spending (a kill switch). */
  globalDailyBudgetCents: number;
  /** The largest budget a moderator may set for one period. */
  maxGuildBudgetCents: number;
  /** Servers where /animate may spend at all; empty = every server. */
  allowedGuildIds: readonly string[];
  /** Roles (besides Manage Server) whose members may change quotas. */
  adminRoleIds: readonly string[];
  defaults: QuotaDefaults;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(formatConfigProblems(problems));
    this.name = 'ConfigError';
  }
}

export function formatConfigProblems(problems: readonly string[]): string {
  return [
    'Configuration is not valid:',
    ...problems.map((problem) => `  - ${problem}`),
    'See .env.example for every setting and its meaning.',
  ].join('\n');
}

/** Blank values count as unset, so `FAL_BASE_URL=` in .env means "use the default". */
function withoutBlanks(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
}

function parseOrThrow<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const present = withoutBlanks(env);
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    // List positions ("ALLOWED_GUILD_IDS.0") say nothing to an operator; the message names the rule.
    const name = issue.path.filter((part) => typeof part !== 'number').join('.') || 'environment';
    // zod 4 leaves `input` out of issues, so "missing" is judged from the environment itself.
    const missing = issue.code === 'invalid_type' && typeof issue.path[0] === 'string' && present[issue.path[0]] === undefined;
    return `${name} ${missing ? 'is required' : issue.message}`;
  });
  throw new ConfigError(problems);
}

/** What `npm run deploy-commands` needs: no fal key, no database. */
export function parseDeployConfig(env: Env): Pick<Config['discord'], 'token' | 'applicationId' | 'apiBaseUrl'> {
  const e = parseOrThrow(deployEnvSchema, env);
  return { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, apiBaseUrl: e.DISCORD_API_BASE_URL };
}

export function parseConfig(env: Env): Config {
  const e = parseOrThrow(envSchema, env);
  if (e.PUBLIC_URL !== undefined && e.HTTP_PORT === undefined) {
    throw new ConfigError(["PUBLIC_URL needs HTTP_PORT: fal's webhooks arrive at the bot's HTTP server"]);
  }
  if (e.PROCESS_ROLE !== 'all' && e.REDIS_URL === undefined) {
    throw new ConfigError([`PROCESS_ROLE=${e.PROCESS_ROLE} needs REDIS_URL: the other processes take over the rest of the work through the queue`]);
  }
  if (e.REDIS_URL !== undefined && !/^postgres(ql)?:\/\//i.test(e.DATABASE_URL)) {
    throw new ConfigError(['REDIS_URL needs a postgres:// DATABASE_URL: every process of a scale-out shares one store']);
  }
  const { dashboard, problems: dashboardProblems } = dashboardConfigFrom(e);
  const { sharding, problems: shardProblems } = shardPlanFrom(e);
  const problems = [...dashboardProblems, ...shardProblems, ...sharedJobsProblems(sharding, e.REDIS_URL)];
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    discord: {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      apiBaseUrl: e.DISCORD_API_BASE_URL,
      cdnBaseUrl: e.DISCORD_CDN_BASE_URL,
      sharding,
    },
    fal: { key: e.FAL_KEY, baseUrl: e.FAL_BASE_URL },
    databaseUrl: e.DATABASE_URL,
    attachmentHosts: e.ATTACHMENT_HOSTS,
    logLevel: e.LOG_LEVEL,
    pollIntervalMs: e.POLL_INTERVAL_MS,
    progressEditIntervalMs: e.PROGRESS_EDIT_INTERVAL_MS,
    jobMaxWaitMs: e.JOB_MAX_WAIT_SECONDS * 1000,
    queueMaxWaitMs: e.QUEUE_MAX_WAIT_SECONDS * 1000,
    downloadTimeoutMs: e.DOWNLOAD_TIMEOUT_MS,
    videoMaxBytes: e.VIDEO_MAX_BYTES,
    defaults: { resolution: e.DEFAULT_RESOLUTION, duration: e.DEFAULT_DURATION },
    priceCentsPerSecond: e.PRICE_CENTS_PER_SECOND,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    ffmpeg: { path: e.FFMPEG_PATH, searchPath: e.PATH },
    quota: {
      globalDailyBudgetCents: e.GLOBAL_DAILY_BUDGET_USD,
      maxGuildBudgetCents: e.MAX_GUILD_BUDGET_USD,
      allowedGuildIds: e.ALLOWED_GUILD_IDS,
      adminRoleIds: e.QUOTA_ADMIN_ROLE_IDS,
      defaults: operatorDefaultsFrom(e),
    },
    http: { port: e.HTTP_PORT, host: e.HTTP_HOST },
    webhooks: { publicUrl: e.PUBLIC_URL, jwksUrl: e.FAL_WEBHOOK_JWKS_URL, safetyPollMs: e.FAL_SAFETY_POLL_SECONDS * 1000 },
    submitRetryMs: e.FAL_SUBMIT_RETRY_SECONDS * 1000,
    statusMode: e.FAL_STATUS_MODE,
    prepareConcurrency: e.PREPARE_CONCURRENCY,
    queue: e.REDIS_URL === undefined ? null : { redisUrl: e.REDIS_URL, prefix: e.REDIS_PREFIX },
    role: e.PROCESS_ROLE,
    dashboard,
  };
}

/**
 * A process that runs only some of the shards has siblings, and siblings share
 * the jobs: that is scale-out mode. Without it each process's start would fail
 * or re-track the others' unfinished jobs (src/jobs/recovery.ts is for one process).
 */
function sharedJobsProblems(sharding: ShardPlan, redisUrl: string | undefined): string[] {
  if (redisUrl !== undefined) return [];
  const partial = sharding.kind === 'shards' && sharding.shardIds.length < sharding.shardCount;
  const launchesSeveral = sharding.kind === 'launcher' && sharding.shardCount !== 1;
  if (!partial && !launchesSeveral) return [];
  return [
    `${sharding.kind === 'launcher' ? 'SHARD_IDS=auto starts a process per shard' : 'SHARD_IDS runs only some of the shards'}: processes that share the jobs need REDIS_URL and a postgres:// DATABASE_URL (README "Operations")`,
  ];
}

/** The secrets in a config, so logs and messages can be checked against them. */
export function secretsOf(config: Config): string[] {
  const dashboard = config.dashboard ? [config.dashboard.clientSecret, config.dashboard.sessionSecret] : [];
  const passwords = [config.databaseUrl, config.queue?.redisUrl].map(passwordIn).filter((password) => password !== '');
  return [config.discord.token, config.fal.key, ...dashboard, ...passwords];
}

/** The password inside a connection URL (postgres://user:password@host), or ''. */
function passwordIn(url: string | undefined): string {
  if (url === undefined || !url.includes('://')) return '';
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
