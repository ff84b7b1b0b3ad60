import { RESTEvents, type REST } from 'discord.js';
import type { DiscordRequestOutcome } from './botMetrics.js';

/**
 * Counts every answer discord.js's REST client gets, and every time it waits
 * for a rate limit (its `rateLimited` event fires for a 429 and for a bucket
 * it saw empty in the headers before asking).
 */
export function observeDiscordRequests(rest: REST, observe: (outcome: DiscordRequestOutcome) => void): void {
  rest.on(RESTEvents.Response, (_request, response) => {
    const status = response.status;
    observe(status === 429 ? 'rate_limited' : status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'ok');
  });
  rest.on(RESTEvents.RateLimited, () => observe('rate_limited'));
}
