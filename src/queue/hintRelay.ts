import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { FalHints } from '../jobs/falHints.js';
import { withinMs } from '../util/withinMs.js';

const SUBSCRIBE_TIMEOUT_MS = 15_000;
const PUBLISH_TIMEOUT_MS = 2_000;

/**
 * fal's webhook lands on whichever process the load balancer picks, while the
 * job is tracked by one process of many. Every hint is published on Redis and
 * every process offers it to its own trackers; the one tracking the request
 * wakes, the rest keep it a few minutes and then drop it (falHints.ts).
 */
export async function relayHintsAcrossProcesses(
  local: FalHints,
  deps: { publisher: Redis; subscriber: Redis; prefix: string; logger: Logger },
): Promise<FalHints & { close(): void }> {
  const channel = `${deps.prefix}:fal-hints`;
  deps.subscriber.on('message', (from: string, requestId: string) => {
    if (from === channel) local.hint(requestId);
  });
  await withinMs(deps.subscriber.subscribe(channel), SUBSCRIBE_TIMEOUT_MS, 'Redis did not take the webhook subscription');
  return {
    ...local,
    // Every process hears every hint (this one too, through its own subscription): the tracker may
    // be anywhere, or not listening yet, and each process keeps an early hint for a tracker to come.
    hint(requestId) {
      withinMs(deps.publisher.publish(channel, requestId), PUBLISH_TIMEOUT_MS, 'Redis did not take the webhook').catch((error: unknown) => {
        // This process may be the one tracking it; elsewhere the safety poll finds the job.
        deps.logger.warn({ err: error, requestId }, 'could not relay a fal webhook to the other processes');
        local.hint(requestId);
      });
      return 'relayed';
    },
    close() {
      deps.subscriber.disconnect();
    },
  };
}
