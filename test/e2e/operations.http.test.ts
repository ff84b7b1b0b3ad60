import { afterEach, describe, expect, it } from 'vitest';
import { animate, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

/** The value of one sample line of a Prometheus scrape, e.g. `animate_jobs_total{state="delivered"}`. */
function sample(scrape: string, series: string): number | undefined {
  const line = scrape.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health, readiness and metrics over HTTP', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const start = (env: Record<string, string> = {}) => startHarness({ env: { HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', ...env } });

  it('is off when HTTP_PORT is unset', async () => {
    harness = await startHarness();
    expect(harness.app.http).toBeUndefined();
  });

  it('answers /healthz and /readyz once the bot is connected', async () => {
    harness = await start();
    const base = harness.app.http!.url;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('counts a delivered job: final state, phases, fal and Discord calls, committed money', async () => {
    harness = await start();
    const base = harness.app.http!.url;
    const before = await (await fetch(`${base}/metrics`)).text();
    expect(sample(before, 'animate_jobs_total{state="delivered"}')).toBeUndefined();
    // The default process metrics are on the same registry.
    expect(before).toContain('process_cpu_user_seconds_total');

    const handle = await animate(harness, { image: await makeImage(640, 480, 'png') });
    await finalMessage(handle);
    await harness.app.jobs.idle();
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const scrape = await response.text();

    const [job] = await harness.app.jobRepository.inStates(['delivered']);
    expect(sample(scrape, 'animate_jobs_total{state="delivered"}')).toBe(1);
    for (const phase of ['queue', 'running', 'delivering']) {
      expect(sample(scrape, `animate_job_phase_seconds_count{phase="${phase}"}`)).toBe(1);
    }
    expect(sample(scrape, 'animate_fal_requests_total{kind="submit",outcome="ok"}')).toBe(1);
    expect(sample(scrape, 'animate_fal_requests_total{kind="status",outcome="ok"}')).toBe(harness.fal.callsTo('status').length);
    expect(sample(scrape, 'animate_fal_requests_total{kind="result",outcome="ok"}')).toBe(1);
    expect(sample(scrape, 'animate_fal_requests_total{kind="upload",outcome="ok"}')).toBe(1);
    expect(sample(scrape, 'animate_discord_requests_total{outcome="ok"}')).toBeGreaterThanOrEqual(2);
    const month = new Date().toISOString().slice(0, 7);
    expect(sample(scrape, `animate_spend_cents_total{period="${month}"}`)).toBe(job!.costCents);
    // Labels never name a server or a member.
    expect(scrape).not.toContain(harness.discord.guildId);
  });

  it('counts a quota refusal by its rule', async () => {
    harness = await start({ ALLOWED_GUILD_IDS: '123456789012345678' });
    const handle = await animate(harness, { image: await makeImage(640, 480, 'png') });
    await handle.waitForEvent((event) => event.kind === 'callback');
    const scrape = await (await fetch(`${harness.app.http!.url}/metrics`)).text();
    expect(sample(scrape, 'animate_quota_refusals_total{rule="guild_not_allowed"}')).toBe(1);
    expect(sample(scrape, 'animate_jobs_total{state="failed"}')).toBe(1);
  });

  it('answers /readyz with 503 naming the failed check while shutting down', async () => {
    harness = await start();
    const base = harness.app.http!.url;
    const stopping = harness.app.stop({ drainMs: 400 });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not ready', failed: ['not shutting down'] });
    // Health stays green: the process is up, just not taking work.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await stopping;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('serves the routes of plugins passed in', async () => {
    // Through the app option the dashboard will use.
    const { createHttpServer } = await import('../../src/http/server.js');
    const { createReadiness } = await import('../../src/http/readiness.js');
    const { Registry } = await import('prom-client');
    const { default: pino } = await import('pino');
    const server = await createHttpServer({
      config: { port: 0, host: '127.0.0.1' },
      registry: new Registry(),
      readiness: createReadiness([{ name: 'queue', check: () => false }]),
      logger: pino({ level: 'silent' }),
      plugins: [async (app) => void app.get('/dashboard', () => ({ hello: 'moderators' }))],
    });
    try {
      expect(await (await fetch(`${server.url}/dashboard`)).json()).toEqual({ hello: 'moderators' });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not ready', failed: ['queue'] });
    } finally {
      await server.close();
    }
  });
});
