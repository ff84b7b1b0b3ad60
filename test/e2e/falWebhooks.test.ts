import { afterEach, describe, expect, it } from 'vitest';
import { step, type FalScript } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, waitForJobIn, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { freePort } from '../support/freePort.js';


const QUEUE_KINDS = ['submit', 'status', 'result', 'cancel'] as const;

/** fal calls the bot when a job ends (PUBLIC_URL set): the bot verifies, confirms once, and polls only slowly. */
describe('fal webhooks', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function start(script: FalScript, safetyPollSeconds = 60) {
    const port = await freePort();
    harness = await startHarness({
      falScript: script,
      env: {
        HTTP_PORT: String(port),
        HTTP_HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        FAL_SAFETY_POLL_SECONDS: String(safetyPollSeconds),
      },
    });
    return harness;
  }

  /** Starts a job and waits until fal has it; returns its request id. */
  async function submitted(h: Harness) {
    const handle = await animate(h, { image: await makeImage(512, 512) });
    const job = await waitForJobIn(h, ['submitted', 'queued', 'running']);
    return { handle, requestId: job.requestId! };
  }

  const queueCalls = (h: Harness) => QUEUE_KINDS.reduce((sum, kind) => sum + h.fal.callsTo(kind).length, 0);

  it('completes a job on a signed webhook with one status read (the confirmation) and one result read', async () => {
    const h = await start([step.queued(0), step.running('Generating'), step.completes(), step.callsWebhook()]);
    expect(h.config.webhooks.jwksUrl).toBe(h.fal.jwksUrl);
    const { handle, requestId } = await submitted(h);
    expect(h.fal.submits[0]!.query.fal_webhook).toBe(`${h.config.webhooks.publicUrl}/fal/webhook`);
    // Nothing polls fal while it works.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fal.callsTo('status')).toHaveLength(0);

    h.fal.finishNow(requestId);
    const final = await finalMessage(handle);
    await h.app.jobs.idle();
    expect(contentOf(final)).toContain('✅');
    expect(h.fal.webhooks.map((sent) => [sent.kind, sent.status])).toEqual([['signed', 200]]);
    expect(h.fal.callsTo('status')).toHaveLength(1);
    expect(h.fal.callsTo('result')).toHaveLength(1);
    expect(h.fal.callsTo('submit')).toHaveLength(1);
  });

  it.each(['badSignature', 'unsigned', 'stale', 'unknownKey'] as const)('rejects a %s webhook with 401 and changes nothing', async (kind) => {
    const h = await start([step.queued(0), step.running('Generating'), step.completes()]);
    const { requestId } = await submitted(h);
    h.fal.finishNow(requestId);
    expect(await h.fal.sendWebhook(requestId, kind)).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fal.callsTo('status')).toHaveLength(0);
    expect(h.fal.callsTo('result')).toHaveLength(0);
    const [job] = await h.app.jobRepository.inStates(['submitted']);
    expect(job?.requestId).toBe(requestId);
    expect(h.logLines.some((line) => line.includes('rejected a fal webhook that failed verification'))).toBe(true);
  });

  it('answers replays of a webhook 200 and confirms only once', async () => {
    const h = await start([step.queued(0), step.running('Generating'), step.completes(), step.callsWebhook()]);
    const { handle, requestId } = await submitted(h);
    h.fal.finishNow(requestId);
    await finalMessage(handle);
    await h.app.jobs.idle();
    // fal retries the same webhook: answered, and nothing more is asked of fal.
    expect(await h.fal.replayWebhook(requestId)).toBe(200);
    expect(await h.fal.replayWebhook(requestId)).toBe(200);
    expect(h.fal.callsTo('status')).toHaveLength(1);
    expect(h.fal.callsTo('result')).toHaveLength(1);
    expect(await h.app.jobRepository.inStates(['delivered'])).toHaveLength(1);
  });

  it('answers a replay that arrives while the job is still tracked 200, without another status read', async () => {
    const h = await start([step.queued(0), step.hangs(), step.running('Generating'), step.completes()]);
    const { requestId } = await submitted(h);
    // A webhook arrives early (fal says nothing yet: the job is still running); its replays change nothing.
    expect(await h.fal.sendWebhook(requestId)).toBe(200);
    await h.fal.waitFor(() => h.fal.callsTo('status').length === 1);
    expect(await h.fal.replayWebhook(requestId)).toBe(200);
    expect(await h.fal.replayWebhook(requestId)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fal.callsTo('status')).toHaveLength(1);
  });

  it('catches a lost webhook with the safety poll', async () => {
    const h = await start([step.queued(0), step.running('Generating'), step.completes()], 1);
    const { handle, requestId } = await submitted(h);
    h.fal.finishNow(requestId);
    const final = await finalMessage(handle);
    expect(contentOf(final)).toContain('✅');
    expect(h.fal.webhooks).toHaveLength(0);
    expect(h.fal.callsTo('status')).toHaveLength(1);
  });

  it('costs at most 5 queue calls for a job that takes two safety-poll intervals', async () => {
    // Scaled down: a 1 s safety poll and a 2 s job stand for 60 s and a 2-minute job.
    const h = await start([step.queued(0), step.running('Loading'), step.running('Generating'), step.completes(), step.callsWebhook()], 1);
    const { handle, requestId } = await submitted(h);
    const submittedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000 - (Date.now() - submittedAt)));
    // The job finishes at fal on its own; polls meanwhile saw it queued and running.
    const job = await h.fal.waitFor(() => h.fal.statusOf(requestId));
    if (job !== 'COMPLETED') h.fal.finishNow(requestId);
    const final = await finalMessage(handle);
    await h.app.jobs.idle();
    expect(contentOf(final)).toContain('✅');
    expect(queueCalls(h)).toBeLessThanOrEqual(5);
    // The safety polls did run meanwhile (one a second), and the webhook ended the wait.
    expect(h.fal.callsTo('status').length).toBeGreaterThanOrEqual(2);
    expect(h.fal.webhooks.map((sent) => sent.status)).toEqual([200]);
    expect(h.fal.callsTo('submit')).toHaveLength(1);
    expect(h.fal.callsTo('result')).toHaveLength(1);
  });
});
