import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { FalHints } from '../jobs/falHints.js';

/**
 * fal's webhook lands on whichever process the load balancer picks, while the
 * job is tracked by one process of many. A hint this process cannot use is
 * published on Redis and every process offers it to its own trackers; the one
 * tracking the request wakes, the rest drop it (falHints.ts).
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
    hint(requestId) {
      const outcome = local.hint(requestId);
      if (outcome !== 'unknown') return outcome;
      deps.publisher.publish(channel, requestId).catch((error: unknown) => deps.logger.warn({ err: error, requestId }, 'could not relay a fal webhook'));
      return 'relayed';
    },
    close() {
      deps.subscriber.disconnect();
    },
  };
}
