import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type FakeGuild, type InteractionHandle } from '../fakes/fakeDiscord.js';
import { snowflake } from '../fakes/fakeDiscordPayloads.js';
import { startFakeFal, step, type FakeFal } from '../fakes/fakeFal.js';
import { spawnBot, type BotProcess } from '../support/botProcess.js';
import { FAKE_DISCORD_TOKEN, FAKE_FAL_KEY, ROOMY_QUOTA_ENV, contentOf } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { createSharedStore, type SharedStore } from '../support/sharedStore.js';
import { STEP_QUEUE_NAME } from '../../src/queue/queueScheduler.js';
import { freePort } from '../support/freePort.js';

/**
 * Two real bot processes (src/main.ts) in scale-out mode on this machine's
 * PostgreSQL and Redis, one per gateway shard, sharing one database and one
 * BullMQ queue. Every job is held at fal while a process is killed or
 * stopped; the other must finish its work: each video delivered once, each
 * job submitted once, the ledger exact.
 */
describe('scale-out across two processes (PostgreSQL + Redis/BullMQ)', () => {
  let discord: FakeDiscord;
  let fal: FakeFal;
  let shared: SharedStore;
  let bots: BotProcess[] = [];

  beforeEach(async () => {
    discord = await startFakeDiscord();
    fal = await startFakeFal();
    // Held at fal until the test releases it: the process is killed while every job is mid-way.
    fal.setDefaultScript([step.queued(0), step.running('Generating'), step.hangs(), step.completes()]);
    shared = await createSharedStore();
  });
  afterEach(async () => {
    for (const bot of bots) bot.kill('SIGKILL');
    await Promise.all(bots.map((bot) => bot.exited));
    bots = [];
    await discord.close();
    await fal.close();
    await shared.drop();
  });

  /** A bot process on shard `shardId` of two, or (null) on no shard setting at all. */
  async function startBot(shardId: number | null, extra: Record<string, string> = {}): Promise<BotProcess> {
    const bot = spawnBot({
      ...ROOMY_QUOTA_ENV,
      DISCORD_TOKEN: FAKE_DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: discord.applicationId,
      FAL_KEY: FAKE_FAL_KEY,
      ...shared.env,
      ...(shardId === null ? {} : { SHARD_COUNT: '2', SHARD_IDS: String(shardId) }),
      DISCORD_API_BASE_URL: discord.apiBaseUrl,
      DISCORD_CDN_BASE_URL: discord.cdnBaseUrl,
      FAL_BASE_URL: fal.baseUrl,
      FAL_WEBHOOK_JWKS_URL: fal.jwksUrl,
      ATTACHMENT_HOSTS: discord.attachmentHost,
      POLL_INTERVAL_MS: '100',
      PROGRESS_EDIT_INTERVAL_MS: '500',
      SHUTDOWN_GRACE_MS: '8000',
      LOG_LEVEL: 'info',
      ...extra,
    });
    bots.push(bot);
    await discord
      .waitFor(() => bot.output.some((line) => line.includes('bot is ready')) || undefined, 30_000)
      .catch((error: unknown) => {
        throw new Error(`bot on shard ${String(shardId)} did not start: ${String(error)}\n${bot.output.join('\n')}`);
      });
    return bot;
  }

  async function animateIn(guild: FakeGuild, image: Buffer, count: number): Promise<InteractionHandle[]> {
    return Promise.all(
      Array.from({ length: count }, (_unused, index) =>
        discord.sendCommand({
          name: 'animate',
          guildId: guild.guildId,
          channelId: guild.channelId,
          userId: snowflake(),
          options: [
            { name: 'image', type: 11, attachment: { filename: 'picture.png', bytes: image, contentType: 'image/png' } },
            { name: 'prompt', type: 3, value: `clip ${index}` },
          ],
        }),
      ),
    );
  }

  /** Starts both processes and `perShard` jobs in each shard's server; resolves once fal holds every one. */
  async function jobsHeldAtFal(perShard: number): Promise<{ a: BotProcess; b: BotProcess; handles: InteractionHandle[] }> {
    const [a, b] = [await startBot(0), await startBot(1)];
    const image = await makeImage(512, 512);
    const handles = [
      ...(await animateIn(discord.addGuild({ shard: [0, 2] }), image, perShard)),
      ...(await animateIn(discord.addGuild({ shard: [1, 2] }), image, perShard)),
    ];
    const total = perShard * 2;
    await discord.waitFor(() => fal.submits.length >= total || undefined, 30_000);
    // Every job's tracker has heard "running" (the step before the hold).
    await until(async () => (await jobStates()).filter((state) => state === 'running').length === total, 30_000);
    return { a, b, handles };
  }

  function releaseAll(): void {
    for (const submit of fal.submits) fal.release(submit.requestId);
  }

  async function jobStates(): Promise<string[]> {
    return (await shared.query<{ state: string }>('select state from jobs')).map((row) => row.state);
  }

  async function expectEachDeliveredOnce(handles: InteractionHandle[]): Promise<void> {
    await Promise.all(handles.map((handle) => handle.waitForEvent((event) => /✅/.test(contentOf(event)), 40_000)));
    await until(async () => (await jobStates()).every((state) => state === 'delivered'), 15_000);
    // Room for a duplicate to show up, had any process delivered twice.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const handle of handles) {
      expect(handle.events().filter((event) => event.files.some((file) => file.name.endsWith('.mp4')))).toHaveLength(1);
    }
    expect(fal.callsTo('submit')).toHaveLength(handles.length);
    expect(new Set(fal.submits.map((submit) => submit.requestId)).size).toBe(handles.length);
    const ledger = await shared.query<{ job_id: string; kind: string; amount_cents: number }>('select job_id, kind, amount_cents from quota_ledger');
    const jobs = await shared.query<{ id: string; cost_cents: number; charged: boolean | number }>('select id, cost_cents, charged from jobs');
    expect(jobs).toHaveLength(handles.length);
    for (const job of jobs) {
      expect(Boolean(job.charged)).toBe(true);
      const movements = ledger.filter((row) => row.job_id === job.id);
      expect(movements.map((row) => row.kind).sort()).toEqual(['commit', 'reserve']);
      expect(movements.every((row) => row.amount_cents === job.cost_cents)).toBe(true);
    }
  }

  /** The BullMQ steps of this name that have finished (kept for their ids: see queueScheduler.ts). */
  async function finishedSteps(name: string) {
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(STEP_QUEUE_NAME, { connection, prefix: shared.env.REDIS_PREFIX });
    try {
      return (await queue.getJobs(['completed'])).filter((queued) => queued.name === name);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }

  it('delivers every job exactly once when one process is SIGKILLed mid-job (twenty jobs)', async () => {
    const { a, b, handles } = await jobsHeldAtFal(10);
    const killedAt = performance.now();
    a.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');
    releaseAll();

    await expectEachDeliveredOnce(handles);
    const takeoverMs = performance.now() - killedAt;
    // BullMQ gives a dead process's steps to another once their lock expires: within 15 s (issue 12).
    expect(takeoverMs).toBeLessThan(20_000);
    expect(b.output.some((line) => /"level":(50|60)/.test(line))).toBe(false);
    process.stdout.write(`[scale-out] SIGKILL of one of two processes: 20 jobs delivered once each, ${(takeoverMs / 1000).toFixed(1)} s after the kill\n`);
  }, 120_000);

  it('hands unfinished work back on SIGTERM in under 2 s, and the other process finishes it', async () => {
    const { a, b, handles } = await jobsHeldAtFal(4);
    const stoppedAt = performance.now();
    a.kill('SIGTERM');
    const exit = await a.exited;
    const exitMs = performance.now() - stoppedAt;
    expect(exit.code).toBe(0);

    // Two seconds after SIGTERM every step is held by the process still running: none waits for a lock to expire.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 2_000 - (performance.now() - stoppedAt))));
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(STEP_QUEUE_NAME, { connection, prefix: shared.env.REDIS_PREFIX });
    try {
      const active = await queue.getJobs(['active']);
      expect(active.map((step) => step.name)).toEqual(Array(handles.length).fill('track'));
      expect(new Set(active.map((step) => step.processedBy?.split(':').at(-1)))).toEqual(new Set([String(b.child.pid)]));
    } finally {
      await queue.close();
      connection.disconnect();
    }
    releaseAll();
    await expectEachDeliveredOnce(handles);
    process.stdout.write(`[scale-out] SIGTERM: process exited in ${exitMs.toFixed(0)} ms; its ${handles.length / 2} tracked jobs were taken over by the other\n`);
  }, 120_000);

  it('never submits twice when a process dies mid-submit: the other fails and refunds the job instead', async () => {
    // fal queues the job at once, but its answer never reaches the process that asked.
    fal.setDefaultScript([step.submitAnswerHeld(), step.queued(0), step.running('Generating'), step.completes()]);
    const [a, b] = [await startBot(0), await startBot(1)];
    const [handle] = await animateIn(discord.addGuild({ shard: [0, 2] }), await makeImage(512, 512), 1);
    await discord.waitFor(() => (fal.submits.length === 1 ? true : undefined), 30_000);
    const submitting = [a, b].find((bot) => bot.output.some((line) => line.includes('submitting to fal')));
    const other = submitting === a ? b : a;
    expect(submitting).toBeDefined();
    submitting?.kill('SIGKILL');
    await submitting?.exited;

    const final = await handle!.waitForEvent((event) => /❌/.test(contentOf(event)), 40_000);
    expect(contentOf(final)).toMatch(/restarted before your video was started.*not charged/);
    await until(async () => (await jobStates()).every((state) => state === 'failed'), 15_000);
    expect(fal.callsTo('submit')).toHaveLength(1);
    const ledger = await shared.query<{ kind: string }>('select kind from quota_ledger');
    expect(ledger.map((row) => row.kind).sort()).toEqual(['refund', 'reserve']);
    expect(other.output.some((line) => line.includes('job died around its submit'))).toBe(true);
  }, 120_000);

  it('splits the work by PROCESS_ROLE: the gateway process only acknowledges, the worker runs every step', async () => {
    fal.setDefaultScript([step.queued(0), step.running('Generating'), step.completes()]);
    const gateway = await startBot(null, { PROCESS_ROLE: 'gateway' });
    const worker = await startBot(null, { PROCESS_ROLE: 'worker' });
    // The worker never connects to the gateway: one session, the gateway process's.
    expect(discord.gatewaySessions()).toHaveLength(1);
    const handles = await animateIn(discord.addGuild(), await makeImage(512, 512), 4);
    await expectEachDeliveredOnce(handles);
    const steps = [...(await finishedSteps('prepare')), ...(await finishedSteps('submit')), ...(await finishedSteps('track')), ...(await finishedSteps('deliver'))];
    expect(steps).toHaveLength(16);
    expect(new Set(steps.map((done) => done.processedBy?.split(':').at(-1)))).toEqual(new Set([String(worker.child.pid)]));
    expect(gateway.output.some((line) => line.includes('submitting to fal'))).toBe(false);
    expect(worker.output.some((line) => line.includes('"role":"worker"') && line.includes('bot is ready'))).toBe(true);
  }, 120_000);

  it("completes jobs from fal's webhook whichever process it lands on", async () => {
    fal.setDefaultScript([step.queued(0), step.running('Generating'), step.completes(), step.callsWebhook()]);
    const [portA, portB] = [await freePort(), await freePort()];
    // fal is told to call process B for every job, also those process A tracks.
    const webhooks = { HTTP_HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${portB}`, FAL_SAFETY_POLL_SECONDS: '120' };
    const a = await startBot(0, { ...webhooks, HTTP_PORT: String(portA) });
    const b = await startBot(1, { ...webhooks, HTTP_PORT: String(portB) });
    const image = await makeImage(512, 512);
    const handles = [...(await animateIn(discord.addGuild({ shard: [0, 2] }), image, 4)), ...(await animateIn(discord.addGuild({ shard: [1, 2] }), image, 2))];
    await until(async () => (await jobStates()).filter((state) => state === 'submitted').length === handles.length, 30_000);
    const startedAt = performance.now();
    for (const submit of fal.submits) fal.finishNow(submit.requestId);

    await expectEachDeliveredOnce(handles);
    const deliveredMs = performance.now() - startedAt;
    // Long before the safety poll: each job was woken by its webhook, on whichever process tracked it.
    expect(deliveredMs).toBeLessThan(30_000);
    expect(fal.webhooks.map((sent) => sent.status)).toEqual(Array(handles.length).fill(200));
    const outcomes = b.output.filter((line) => line.includes('fal webhook received')).map((line) => (JSON.parse(line) as { outcome: string }).outcome);
    expect(outcomes).toEqual(Array(handles.length).fill('relayed'));
    expect(a.output.some((line) => line.includes('fal webhook received'))).toBe(false);
    const trackedByA = (await finishedSteps('track')).filter((trackStep) => trackStep.processedBy?.endsWith(`:${a.child.pid}`)).length;
    // One confirmation read and one result read per job; no polling.
    expect(fal.callsTo('status')).toHaveLength(handles.length);
    expect(fal.callsTo('result')).toHaveLength(handles.length);
    process.stdout.write(`[scale-out] webhooks all to process B: ${trackedByA} of ${handles.length} jobs were tracked by process A; all delivered ${deliveredMs.toFixed(0)} ms after fal finished\n`);
  }, 120_000);
});


/** Polls an async condition (the store) every 50 ms until it holds. */
async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
