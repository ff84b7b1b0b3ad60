import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DASHBOARD_CALLBACK_PATH } from '../../config/dashboardConfig.js';
import { sendPage, type DashboardContext } from './context.js';
import { SESSION_COOKIE, STATE_COOKIE } from './cookies.js';
import { DiscordTokenRejected } from './discordOAuth.js';
import { errorPage, loginPage, serversPage } from './pages/simplePages.js';
import { DASHBOARD_PREFIX, paths } from './paths.js';
import { changeLimit, loginLimit } from './rateLimits.js';

/** Discord gives the member ten minutes on the authorize page before the `state` cookie goes. */
const STATE_LIFETIME_SECONDS = 600;
/** The state cookie is only ever read by the callback. */
const STATE_COOKIE_PATH = DASHBOARD_CALLBACK_PATH.slice(0, DASHBOARD_CALLBACK_PATH.lastIndexOf('/'));

const NOTICES: Readonly<Record<string, string>> = {
  ended: 'Your session has ended. Log in again to continue.',
  'logged-out': 'You are logged out.',
  revoked: 'Discord no longer accepts your login (you may have removed the dashboard in Discord’s settings). Log in again.',
};

/**
 * Logging in with Discord (OAuth2 authorization code flow, scopes identify
 * and guilds), the `state` that ties Discord's answer to the browser that
 * asked, logging out, and the home page: the login button, or the servers.
 */
export function authRoutes(scope: FastifyInstance, context: DashboardContext): void {
  const { sessions, oauth, access, deps } = context;

  scope.get<{ Querystring: { notice?: string } }>('/', async (request, reply) => {
    const session = context.sessionOf(request);
    const notice = NOTICES[request.query.notice ?? ''] ?? null;
    if (!session) return sendPage(reply, 200, loginPage(notice));
    const servers = await access.servers(session);
    return sendPage(reply, 200, serversPage(context.viewer(reply, session), servers, context.takeFlash(session)));
  });

  scope.get('/login', { config: { rateLimit: loginLimit(context.rateLimits) } }, async (_request, reply) => {
    const state = randomBytes(24).toString('base64url');
    reply.setCookie(STATE_COOKIE, state, context.cookieOptions(STATE_COOKIE_PATH, STATE_LIFETIME_SECONDS));
    return reply.redirect(oauth.authorizeUrl(state), 302);
  });

  const callbackPath = DASHBOARD_CALLBACK_PATH.slice(DASHBOARD_PREFIX.length);
  scope.get<{ Querystring: { code?: unknown; state?: unknown; error?: unknown } }>(
    callbackPath,
    { config: { rateLimit: loginLimit(context.rateLimits) } },
    async (request, reply) => {
      const expected = context.unsigned(request, STATE_COOKIE);
      reply.clearCookie(STATE_COOKIE, { path: STATE_COOKIE_PATH });
      const { code, state, error } = request.query;
      // The state proves this browser started this login: without it anyone could log a victim into the attacker's account.
      if (expected === undefined || typeof state !== 'string' || !sameText(expected, state)) {
        context.logger.info('dashboard login refused: state missing or not the one this browser was given');
        return sendPage(
          reply,
          400,
          errorPage({
            status: 400,
            title: 'This login link is not valid',
            message: 'It was not started from this browser, or it is more than ten minutes old. Start again from the dashboard.',
            viewer: null,
            loginLink: true,
          }),
        );
      }
      if (error !== undefined || typeof code !== 'string' || code.length === 0 || code.length > 512) {
        return sendPage(reply, 200, loginPage('You did not log in: Discord did not give the dashboard your permission.'));
      }
      let granted;
      try {
        granted = await oauth.exchangeCode(code, deps.now());
      } catch (failure) {
        if (!(failure instanceof DiscordTokenRejected)) throw failure;
        context.logger.info({ reason: failure.message }, 'dashboard login refused by Discord');
        return sendPage(
          reply,
          400,
          errorPage({ status: 400, title: 'Discord did not accept this login', message: 'The login code was used already or expired. Please log in again.', viewer: null, loginLink: true }),
        );
      }
      const user = await oauth.currentUser(granted.accessToken);
      // A new id at every login: a session id someone planted before cannot become a logged-in one.
      const previous = context.unsigned(request, SESSION_COOKIE);
      if (previous !== undefined) sessions.destroy(previous);
      const session = sessions.create(user, granted.accessToken, granted.expiresAt);
      reply.setCookie(SESSION_COOKIE, session.id, context.sessionCookieOptions());
      context.logger.info({ userId: user.id }, 'dashboard login');
      return reply.redirect(paths.home(), 303);
    },
  );

  scope.post(
    '/logout',
    {
      config: { rateLimit: changeLimit(context.rateLimits) },
      // Only the person's own page may log them out; without a session there is nothing to protect.
      preHandler: (request, reply, done) => (context.sessionOf(request) ? scope.csrfProtection(request, reply, done) : done()),
    },
    async (request, reply) => {
      const session = context.sessionOf(request);
      if (session) {
        sessions.destroy(session.id);
        access.forget(session);
        oauth.revoke(session.accessToken).catch((failure: unknown) => context.logger.warn({ err: failure }, 'could not revoke a dashboard token at logout'));
        context.logger.info({ userId: session.userId }, 'dashboard logout');
      }
      reply.clearCookie(SESSION_COOKIE, { path: DASHBOARD_PREFIX });
      return reply.redirect(`${paths.home()}?notice=logged-out`, 303);
    },
  );
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
