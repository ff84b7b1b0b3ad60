import type { FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './cookies.js';

/**
 * How often one person may knock. Logging in is limited per address (each
 * attempt costs a round trip to Discord); changes and charts per session,
 * falling back to the address, so moderators behind one network do not
 * share a budget.
 */
export interface RateLimits {
  /** Starts of a login, and returns from Discord, each per minute and address. */
  loginsPerMinute: number;
  /** Saves and logouts per minute and session. */
  changesPerMinute: number;
  /** Chart pictures per minute and session (a page shows three). */
  chartsPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { loginsPerMinute: 10, changesPerMinute: 20, chartsPerMinute: 90 };

const MINUTE_MS = 60_000;

export function loginLimit(limits: RateLimits) {
  return { max: limits.loginsPerMinute, timeWindow: MINUTE_MS };
}

export function changeLimit(limits: RateLimits) {
  return { max: limits.changesPerMinute, timeWindow: MINUTE_MS, keyGenerator: perSession };
}

export function chartLimit(limits: RateLimits) {
  return { max: limits.chartsPerMinute, timeWindow: MINUTE_MS, keyGenerator: perSession };
}

function perSession(request: FastifyRequest): string {
  const cookie = request.cookies[SESSION_COOKIE];
  const session = cookie ? request.unsignCookie(cookie) : undefined;
  return session?.valid && session.value ? `session:${session.value}` : `address:${request.ip}`;
}
