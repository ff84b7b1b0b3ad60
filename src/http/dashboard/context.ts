// The cookie and CSRF plugins add `cookies`, `unsignCookie` and `generateCsrf` to Fastify's types.
import type {} from '@fastify/cookie';
import type {} from '@fastify/csrf-protection';
import type { REST } from 'discord.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import type { DashboardConfig } from '../../config/dashboardConfig.js';
import type { JobHistory } from '../../jobs/jobHistory.js';
import type { QuotaAdmin } from '../../quota/quotaTypes.js';
import type { SpendingReport } from '../../quota/spendingReport.js';
import type { Clock } from '../../util/clock.js';
import { AccessControl } from './access.js';
import { BotDirectory } from './botDirectory.js';
import { DiscordOAuth } from './discordOAuth.js';
import type { Viewer } from './pages/layout.js';
import { SESSION_COOKIE } from './cookies.js';
import { DASHBOARD_PREFIX } from './paths.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rateLimits.js';
import { SESSION_LIFETIME_MS, SessionStore, type Session } from './sessions.js';

/** What the dashboard is built from; the composition root (or a test) passes it in. */
export interface DashboardDeps {
  config: Pick<Config, 'discord' | 'quota' | 'priceCentsPerSecond' | 'defaults'> & { dashboard: DashboardConfig };
  /** Settings, audit and reports: the same administration /quota and /usage use. */
  quota: QuotaAdmin;
  spending: SpendingReport;
  jobs: JobHistory;
  /** discord.js's REST client with the bot's token: the bot's servers, members, channels, roles, the mod-log. */
  rest: REST;
  logger: Logger;
  now: Clock;
  /** Defaults to DEFAULT_RATE_LIMITS (tests that log in often raise them). */
  rateLimits?: RateLimits;
}

/** Nobody is logged in (or the session ended): GET pages go to the login page, changes get 401. */
export class NotLoggedIn extends Error {}

/**
 * The dashboard's long-lived parts (sessions, the OAuth2 client, Discord
 * lookups and their caches, access rules) and the few things every route
 * does with a request: find its session, make the viewer for the header.
 */
export class DashboardContext {
  readonly sessions: SessionStore;
  readonly oauth: DiscordOAuth;
  readonly directory: BotDirectory;
  readonly access: AccessControl;
  readonly logger: Logger;
  readonly rateLimits: RateLimits;

  constructor(readonly deps: DashboardDeps) {
    const { config, now } = deps;
    this.rateLimits = deps.rateLimits ?? DEFAULT_RATE_LIMITS;
    this.logger = deps.logger.child({ part: 'dashboard' });
    this.sessions = new SessionStore(now);
    this.oauth = new DiscordOAuth({
      clientId: config.discord.applicationId,
      clientSecret: config.dashboard.clientSecret,
      redirectUrl: config.dashboard.redirectUrl,
      oauthBaseUrl: config.dashboard.oauthBaseUrl,
      apiBaseUrl: config.discord.apiBaseUrl,
    });
    this.directory = new BotDirectory(deps.rest, now);
    this.access = new AccessControl({ oauth: this.oauth, directory: this.directory, adminRoleIds: config.quota.adminRoleIds, now });
  }

  sessionOf(request: FastifyRequest): Session | undefined {
    const id = this.unsigned(request, SESSION_COOKIE);
    return id === undefined ? undefined : this.sessions.get(id);
  }

  requireSession(request: FastifyRequest): Session {
    const session = this.sessionOf(request);
    if (!session) throw new NotLoggedIn();
    return session;
  }

  /** A signed cookie's value, or undefined when it is missing or its signature does not hold. */
  unsigned(request: FastifyRequest, name: string): string | undefined {
    const raw = request.cookies[name];
    if (!raw) return undefined;
    const result = request.unsignCookie(raw);
    return result.valid && result.value ? result.value : undefined;
  }

  viewer(reply: FastifyReply, session: Session): Viewer {
    return { userName: session.userName, csrfToken: reply.generateCsrf({ userInfo: session.id }) };
  }

  /** The one-time message for the next page, read once. */
  takeFlash(session: Session): string | null {
    const flash = session.flash;
    session.flash = null;
    return flash;
  }

  cookieOptions(path: string, maxAgeSeconds: number) {
    return {
      path,
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: this.deps.config.dashboard.secureCookies,
      signed: true,
      maxAge: maxAgeSeconds,
    };
  }

  sessionCookieOptions() {
    return this.cookieOptions(DASHBOARD_PREFIX, Math.floor(SESSION_LIFETIME_MS / 1000));
  }
}

export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}
