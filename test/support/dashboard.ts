import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { DASHBOARD_CALLBACK_PATH } from '../../src/config/dashboardConfig.js';
import { secretsOf } from '../../src/config/config.js';
import { dashboardDepsOf, startDashboardServer, type DashboardServer } from '../../src/http/dashboardServer.js';
import type { DashboardDeps } from '../../src/http/dashboard/dashboardPlugin.js';
import type { RateLimits } from '../../src/http/dashboard/rateLimits.js';
import { createLogger } from '../../src/logger.js';
import type { Store } from '../../src/store/database.js';
import type { Clock } from '../../src/util/clock.js';
import { FAKE_OAUTH_CLIENT_SECRET } from '../fakes/fakeDiscordOAuth.js';
import type { Harness } from './harness.js';

/**
 * The dashboard on a harness's running bot: the bot's own config (parsed
 * from the environment like in production, pointed at the fake Discord's
 * OAuth2 pages), its administration, store and REST client.
 */

export const TEST_SESSION_SECRET = 'test-session-secret.SECRET-0123456789abcdef0123';


export { freePort } from './freePort.js';

/** What startHarness needs in `env` to turn the dashboard on at this port. */
export function dashboardEnv(port: number): Record<string, string> {
  return {
    DISCORD_CLIENT_SECRET: FAKE_OAUTH_CLIENT_SECRET,
    SESSION_SECRET: TEST_SESSION_SECRET,
    DASHBOARD_REDIRECT_URL: `http://127.0.0.1:${port}${DASHBOARD_CALLBACK_PATH}`,
  };
}

export interface RunningDashboard extends DashboardServer {
  readonly deps: DashboardDeps;
  /** The dashboard's own log lines (the bot's are in harness.logLines). */
  readonly logLines: string[];
}

export interface DashboardOptions {
  /** The dashboard's clock (sessions, Discord answers kept 30 s); the bot keeps its own. */
  now?: Clock;
  rateLimits?: RateLimits;
}

export async function startDashboard(harness: Harness, port: number, options: DashboardOptions = {}): Promise<RunningDashboard> {
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', secrets: secretsOf(harness.config), destination });
  const fromApp = dashboardDepsOf(harness.app, logger, options.now);
  if (!fromApp) throw new Error('the harness config has no dashboard: pass dashboardEnv(port) to startHarness');
  const deps = { ...fromApp, ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}) };
  const server = await startDashboardServer({ deps, host: '127.0.0.1', port });
  return { ...server, deps, logLines };
}

// ---- a browser without a browser: fetch with a cookie jar -------------------------------

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** One person's browser at HTTP level: keeps cookies, follows nothing by itself. */
export class DashboardClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async get(path: string): Promise<Answer> {
    return this.request('GET', path);
  }

  async post(path: string, form: Record<string, string | readonly string[]>, contentType = 'application/x-www-form-urlencoded'): Promise<Answer> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) for (const item of typeof value === 'string' ? [value] : value) body.append(name, item);
    return this.request('POST', path, { body: body.toString(), headers: { 'content-type': contentType } });
  }

  /** The whole login: dashboard → fake Discord's authorize page (as `userId`) → callback → home. */
  async login(harness: Harness, userId: string): Promise<Answer> {
    harness.discord.oauth.authorizeAs(userId);
    const start = await this.get('/dashboard/login');
    if (start.status !== 302 || !start.location) throw new Error(`login did not redirect to Discord: ${start.status}`);
    const authorize = await fetch(start.location, { redirect: 'manual' });
    const callback = authorize.headers.get('location');
    if (authorize.status !== 302 || !callback) throw new Error(`the fake authorize page answered ${authorize.status}`);
    const done = await this.get(callback);
    if (done.status !== 303) throw new Error(`the callback answered ${done.status}: ${done.text.slice(0, 300)}`);
    return this.get(done.location ?? '/dashboard/');
  }

  async request(method: string, pathOrUrl: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    for (const line of response.headers.getSetCookie()) this.remember(line);
    return { status: response.status, headers: response.headers, text: await response.text(), location: response.headers.get('location') };
  }

  private remember(setCookie: string): void {
    const [pair = '', ...attributes] = setCookie.split(';').map((part) => part.trim());
    const index = pair.indexOf('=');
    const name = pair.slice(0, index);
    const value = pair.slice(index + 1);
    const expired = attributes.some((attribute) => /^max-age=0$/i.test(attribute) || (/^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) < Date.now()));
    if (expired || value === '') this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** The CSRF token a page's forms carry. */
export function csrfTokenIn(page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}

/** The settings form's fields as the page has them (what a browser would post when nothing is touched). */
export function formFieldsIn(page: string): Record<string, string | string[]> {
  const form = /<form class="settings"[\s\S]*?<\/form>/.exec(page)?.[0] ?? '';
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const existing = fields[name];
    fields[name] = existing === undefined ? value : [...(typeof existing === 'string' ? [existing] : existing), value];
  };
  for (const input of form.matchAll(/<input ([^>]*)>/g)) {
    const attributes = input[1] ?? '';
    const name = /name="([^"]*)"/.exec(attributes)?.[1];
    const value = unescape(/value="([^"]*)"/.exec(attributes)?.[1] ?? (/type="checkbox"/.test(attributes) ? 'on' : ''));
    if (!name) continue;
    if (/type="checkbox"/.test(attributes) && !/ checked/.test(attributes)) continue;
    add(name, value);
  }
  for (const select of form.matchAll(/<select [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(select[2] ?? '')?.[1] ?? /<option value="([^"]*)"/.exec(select[2] ?? '')?.[1] ?? '';
    add(select[1] ?? '', unescape(selected));
  }
  return fields;
}

function unescape(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#96;/g, '`').replace(/&amp;/g, '&');
}

// ---- jobs and spending, written straight into the store ---------------------------------

export interface SeededJob {
  userId: string;
  /** Epoch ms. */
  createdAt: number;
  state?: 'delivered' | 'failed' | 'cancelled' | 'running';
  resolution?: '480p' | '720p' | '1080p';
  durationSeconds?: number;
  costCents?: number;
  prompt?: string;
  guildId: string;
  channelId: string;
  replyMessageId?: string | null;
}

/**
 * Jobs as the pipeline leaves them, with their ledger rows (reserve, then
 * commit for a delivered job or refund for a failed or cancelled one), so
 * history pages and charts have a month of data without running a month of jobs.
 */
export async function seedJobs(store: Store, jobs: readonly SeededJob[], periodKey = 'seeded'): Promise<string[]> {
  const { db } = store;
  const ids: string[] = [];
  for (const job of jobs) {
    const id = randomUUID();
    ids.push(id);
    const state = job.state ?? 'delivered';
    const costCents = job.costCents ?? 75;
    const finished = state === 'running' ? null : job.createdAt + 95_000;
    await db
      .insertInto('jobs')
      .values({
        id,
        state,
        guild_id: job.guildId,
        channel_id: job.channelId,
        user_id: job.userId,
        application_id: '100000000000000000',
        interaction_id: id.slice(0, 18).replace(/\D/g, '1'),
        interaction_token: `seeded-token-${id}`,
        interaction_expires_at: job.createdAt + 15 * 60_000,
        attachment_size_limit: 10 * 1024 * 1024,
        app_permissions: null,
        prompt: job.prompt ?? 'a paper boat drifts across the pond',
        negative_prompt: null,
        resolution: job.resolution ?? '1080p',
        duration_seconds: job.durationSeconds ?? 5,
        seed: null,
        prompt_expansion: 1,
        image_source_url: 'https://cdn.discordapp.com/attachments/1/2/picture.png',
        audio_source_url: null,
        cost_cents: costCents,
        created_at: job.createdAt,
        updated_at: finished ?? job.createdAt,
        finished_at: finished,
        charged: state === 'running' ? null : state === 'delivered' ? 1 : 0,
        error_message: state === 'failed' ? 'fal could not make this video. You were not charged.' : state === 'cancelled' ? 'Cancelled by the member. You were not charged.' : null,
        reply_message_id: job.replyMessageId === undefined ? String(BigInt(job.createdAt) << 22n) : job.replyMessageId,
      })
      .execute();
    const movement = (kind: 'reserve' | 'commit' | 'refund') => ({
      id: randomUUID(),
      job_id: id,
      kind,
      guild_id: job.guildId,
      user_id: job.userId,
      amount_cents: costCents,
      period_key: periodKey,
      reserved_at: job.createdAt,
      at: finished ?? job.createdAt,
    });
    await db.insertInto('quota_ledger').values(movement('reserve')).execute();
    if (state === 'delivered') await db.insertInto('quota_ledger').values(movement('commit')).execute();
    if (state === 'failed' || state === 'cancelled') await db.insertInto('quota_ledger').values(movement('refund')).execute();
  }
  return ids;
}
