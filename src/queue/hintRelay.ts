import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { FalHints } from '../jobs/falHints.js';

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
  await deps.subscriber.subscribe(channel);
  return {
    ...local,
    // Every process hears every hint (this one too, through its own subscription): the tracker may
    // be anywhere, or not listening yet, and each process keeps an early hint for a tracker to come.
    hint(requestId) {
      deps.publisher.publish(channel, requestId).catch((error: unknown) => {
        deps.logger.warn({ err: error, requestId }, 'could not relay a fal webhook; the safety poll will find the job');
        local.hint(requestId);
      });
      return 'relayed';
    },
    close() {
      deps.subscriber.disconnect();
    },
  };
}
