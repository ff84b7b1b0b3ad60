import { createHmac } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, newReportId } from '../../errors.js';
import { AccessDenied } from './access.js';
import { authRoutes } from './authRoutes.js';
import { chartRoutes } from './chartRoutes.js';
import { DashboardContext, NotLoggedIn, sendPage, type DashboardDeps } from './context.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './cookies.js';
import { DiscordTokenRejected, DiscordUnavailable } from './discordOAuth.js';
import type { Viewer } from './pages/layout.js';
import { errorPage } from './pages/simplePages.js';
import { DASHBOARD_PREFIX, paths } from './paths.js';
import { historyRoutes } from './historyRoutes.js';
import { settingsRoutes } from './settingsRoutes.js';
import { usageRoutes } from './usageRoutes.js';
import { DASHBOARD_CSS, DASHBOARD_CSS_VERSION } from './styles.js';

export type { DashboardDeps } from './context.js';

/** The settings form is a few kilobytes; nothing else is posted. */
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Pages only: no script, styles and pictures from this server, forms post
 * only here, and no other site may frame a page (clickjacking a Save button).
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The moderators' dashboard as a plugin of the bot's HTTP server: everything
 * under /dashboard (and `/` sends browsers there). Its cookie, form, CSRF and
 * rate-limit plugins are registered inside its own scope, so they touch no
 * other route of the server.
 */
export function dashboardPlugin(deps: DashboardDeps): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    app.get('/', (_request, reply) => reply.redirect(paths.home(), 302));
    await app.register(
      async (scope) => {
        const context = new DashboardContext(deps);
        await registerPlugins(scope, context);
        securityHeaders(scope);
        scope.get('/assets/dashboard.css', (_request, reply) =>
          reply
            .type('text/css; charset=utf-8')
            .header('cache-control', 'public, max-age=31536000, immutable')
            .header('etag', `"${DASHBOARD_CSS_VERSION}"`)
            .send(DASHBOARD_CSS),
        );
        authRoutes(scope, context);
        settingsRoutes(scope, context);
        historyRoutes(scope, context);
        usageRoutes(scope, context);
        chartRoutes(scope, context);
        scope.setErrorHandler((error, request, reply) => answerError(context, error instanceof Error ? error : new Error(String(error)), request, reply));
        scope.setNotFoundHandler((request, reply) =>
          sendPage(reply, 404, errorPage({ status: 404, title: 'Page not found', message: 'There is no such page on the dashboard.', viewer: viewerOf(context, request, reply) })),
        );
      },
      { prefix: DASHBOARD_PREFIX },
    );
  };
}

async function registerPlugins(scope: FastifyInstance, context: DashboardContext): Promise<void> {
  const { dashboard } = context.deps.config;
  await scope.register(fastifyCookie, { secret: dashboard.sessionSecret, hook: 'onRequest' });
  await scope.register(fastifyFormbody, { bodyLimit: BODY_LIMIT_BYTES });
  await scope.register(fastifyCsrfProtection, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: DASHBOARD_PREFIX, httpOnly: true, sameSite: 'lax', secure: dashboard.secureCookies, signed: true },
    // A token is good only with the session it was made for.
    getUserInfo: (request) => context.sessionOf(request)?.id ?? '',
    csrfOpts: { hmacKey: createHmac('sha256', dashboard.sessionSecret).update('dashboard csrf').digest() },
  });
  await scope.register(fastifyRateLimit, { global: false });
}

function securityHeaders(scope: FastifyInstance): void {
  scope.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    // Pages show a server's money and members: no shared cache may keep them.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

function viewerOf(context: DashboardContext, request: FastifyRequest, reply: FastifyReply): Viewer | null {
  const session = context.sessionOf(request);
  return session ? context.viewer(reply, session) : null;
}

/** Every failure as a page written for the person, never an internal message; the log gets the details. */
function answerError(context: DashboardContext, error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const wantsPage = request.method === 'GET' && !request.url.includes('/charts/');
  const page = (status: number, title: string, message: string, options: { login?: boolean; viewer?: boolean } = {}) =>
    sendPage(
      reply,
      status,
      errorPage({ status, title, message, viewer: options.viewer === false ? null : viewerOf(context, request, reply), loginLink: options.login ?? false }),
    );

  if (error instanceof NotLoggedIn || error instanceof DiscordTokenRejected) {
    const reason = error instanceof NotLoggedIn ? 'ended' : 'revoked';
    if (error instanceof DiscordTokenRejected) {
      const session = context.sessionOf(request);
      if (session) context.sessions.destroy(session.id);
      reply.clearCookie(SESSION_COOKIE, { path: DASHBOARD_PREFIX });
    }
    if (wantsPage) return reply.redirect(`${paths.home()}?notice=${reason}`, 303);
    return page(401, 'Please log in again', 'Your session has ended, so nothing was changed. Log in and try again.', { login: true, viewer: false });
  }
  if (error instanceof AccessDenied) {
    return page(
      403,
      'You cannot see this page',
      'Only moderators of a server (Manage Server, or a quota admin role) see its budget, rules and history, and members see their own usage; ' +
        'the bot must be on the server. Discord’s answer is kept for up to 30 seconds.',
    );
  }
  if (error instanceof DiscordUnavailable) {
    context.logger.warn({ err: error }, 'dashboard: Discord did not answer');
    if (error.retryAfterSeconds !== null) reply.header('retry-after', String(error.retryAfterSeconds));
    const when = error.retryAfterSeconds === null ? 'in a moment' : `in ${error.retryAfterSeconds} seconds`;
    return page(503, 'Discord did not answer', `The dashboard asks Discord who you are and what you may do on every page. Please try again ${when}.`);
  }
  if (error instanceof InputError) return page(400, 'That did not work', error.memberMessage);
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  const code = 'code' in error ? error.code : undefined;
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') {
    context.logger.info({ code }, 'dashboard: form refused (CSRF token missing or not this session’s)');
    return page(403, 'This form has expired', 'Nothing was changed. Reload the page and try again.');
  }
  if (status === 429) return page(429, 'Too many requests', 'Please wait a minute and try again.');
  if (status >= 400 && status < 500) {
    return page(status, status === 404 ? 'Page not found' : 'That did not work', status === 404 ? 'There is no such page on the dashboard.' : 'The request could not be understood.');
  }
  const reportId = newReportId();
  context.logger.error({ err: error, reportId, method: request.method }, 'dashboard: unexpected error');
  return page(500, 'Something went wrong', `Something went wrong on our side; nothing was changed. If it keeps happening, tell the bot’s operator: report ${reportId}.`);
}
