import type { FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './context.js';

/**
 * How often one person may knock. Logging in is limited per address (each
 * attempt costs a round trip to Discord); changes and charts per session,
 * falling back to the address, so moderators behind one network do not
 * share a budget.
 */

export const LOGIN_RATE_LIMIT = { max: 10, timeWindow: 60_000 };

export const CHANGE_RATE_LIMIT = { max: 20, timeWindow: 60_000, keyGenerator: perSession };

/** A page shows three charts; a moderator reloading often still fits. */
export const CHART_RATE_LIMIT = { max: 90, timeWindow: 60_000, keyGenerator: perSession };

function perSession(request: FastifyRequest): string {
  const cookie = request.cookies[SESSION_COOKIE];
  const session = cookie ? request.unsignCookie(cookie) : undefined;
  return session?.valid && session.value ? `session:${session.value}` : `address:${request.ip}`;
}
