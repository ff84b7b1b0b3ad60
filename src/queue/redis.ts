import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection for BullMQ (which wants `maxRetriesPerRequest: null`:
 * its blocking commands must wait out a reconnect rather than fail). ioredis
 * reconnects by itself; an outage is logged once, and its end once.
 */
export function openRedis(url: string, name: string, logger: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectionName: name });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error, connection: name }, 'lost the connection to Redis; retrying');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ connection: name }, 'connected to Redis again');
  });
  return redis;
}
