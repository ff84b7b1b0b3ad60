import { afterEach, describe, expect, it } from 'vitest';
import { animate, contentOf, finalMessage, startHarness, waitForJobIn, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis.js';

/**
 * Scale-out mode in one process: PostgreSQL for the store, BullMQ on Redis for
 * the job steps. (Two processes and kills: scaleOut.processes.test.ts.)
 */
describe('scale-out mode (REDIS_URL): job steps as BullMQ jobs', () => {
  let harness: Harness | undefined;
  let redis: PrivateRedis | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await redis?.stop();
    redis = undefined;
  });

  it('runs /animate through the queue to the video, with one submit', async () => {
    harness = await startHarness({ engine: 'postgres', queue: {} });
    const handle = await animate(harness, { image: await makeImage(640, 480, 'png') });
    const final = await finalMessage(handle);
    expect(final.files[0]!.name).toMatch(/\.mp4$/);
    expect(harness.fal.callsTo('submit')).toHaveLength(1);
    // The video reaches the member just before the final state is written.
    const job = await waitForJobIn(harness, ['delivered']);
    expect(job.charged).toBe(true);
    expect(harness.logLines.some((line) => line.includes('"part":"queue"') && line.includes('"level":50'))).toBe(false);
  });

  it('says not ready on /readyz when Redis stops, and ready again when it is back', async () => {
    redis = await startPrivateRedis();
    harness = await startHarness({ engine: 'postgres', queue: { redisUrl: redis.url }, env: { HTTP_PORT: '0', HTTP_HOST: '127.0.0.1' } });
    const base = harness.app.http!.url;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    await redis.stop();
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: 'not ready', failed: ['queue'] });
    // The process still answers health and metrics: it is up, only not ready for work.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const scrape = await (await fetch(`${base}/metrics`)).text();
    expect(scrape).toContain('process_resident_memory_bytes');

    // A member asking now is told plainly, and nothing is charged.
    const handle = await animate(harness, { image: await makeImage(640, 480, 'png') });
    const answer = await finalMessage(handle);
    expect(contentOf(answer)).toMatch(/restart|try again/i);
    expect(harness.fal.callsTo('submit')).toHaveLength(0);
    const failed = await waitForJobIn(harness, ['failed']);
    expect(failed.charged).toBe(false);

    await redis.restart();
    await expect.poll(async () => (await fetch(`${base}/readyz`)).status, { timeout: 15_000 }).toBe(200);
  });
});
