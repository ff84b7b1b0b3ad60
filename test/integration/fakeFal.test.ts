// Proves the fake fal against the real @fal-ai/client, so tests built on the fake test real wire behaviour.
import { readFile } from 'node:fs/promises';
import { ApiError, ValidationError, createFalClient, type FalClient, type QueueStatus } from '@fal-ai/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { falInfraError, falValidationError, startFakeFal, step, type FakeFal } from '../fakes/fakeFal.js';
import { animatedWebp } from '../support/hostileFiles.js';
import { gradient, makeImage } from '../support/images.js';

const ENDPOINT = 'fal-ai/wan-25-preview/image-to-video';
const FAL_HOSTS = /^https:\/\/(queue\.fal\.run|fal\.run|rest\.fal\.ai|rest\.alpha\.fal\.ai|v3\.fal\.media)/;
const INPUT = { prompt: 'the cat waves', image_url: 'https://v3.fal.media/files/uploads/abc/cat.png' };
const AUTH = { authorization: 'Key test-key:secret' };

const fixture = await readFile(new URL('../fixtures/sample.mp4', import.meta.url));

let fake: FakeFal;
let fal: FalClient;

function toFake(url: string): string {
  return url.replace(FAL_HOSTS, fake.baseUrl);
}

beforeEach(async () => {
  fake = await startFakeFal();
  fal = createFalClient({
    credentials: 'test-key:secret',
    // Queue and initiate calls go through the middleware; the storage PUT only through `fetch` (PROTOCOLS §2).
    requestMiddleware: async (request) => ({ ...request, url: toFake(request.url) }),
    fetch: (input, init) => fetch(typeof input === 'string' ? toFake(input) : input, init),
  });
});

afterEach(async () => {
  await fake.close();
});

async function statusOnce(requestId: string): Promise<QueueStatus> {
  return fal.queue.status(ENDPOINT, { requestId, logs: true });
}

describe('fake fal with the real client', () => {
  it('stores an upload and hands back a v3.fal.media URL', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const url = await fal.storage.upload(new Blob([bytes], { type: 'image/png' }));

    expect(url).toMatch(/^https:\/\/v3\.fal\.media\/files\/uploads\/\w+\/\d+\.png$/);
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]).toMatchObject({ fileUrl: url, contentType: 'image/png' });
    expect(fake.uploads[0]?.bytes.equals(Buffer.from(bytes))).toBe(true);

    const [initiate] = fake.callsTo('initiate');
    expect(initiate?.headers.authorization).toBe('Key test-key:secret');
    expect(initiate?.query).toEqual({ storage_type: 'fal-cdn-v3' });
    const [put] = fake.callsTo('upload');
    expect(put?.headers.authorization).toBeUndefined();
    expect(put?.headers['content-type']).toBe('image/png');

    const served = await fetch(toFake(url));
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('walks a job from the queue to the result and serves the video', async () => {
    const submitted = await fal.queue.submit(ENDPOINT, { input: { ...INPUT, seed: 7 } });
    expect(submitted.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(submitted.status_url).toBe(
      `https://queue.fal.run/fal-ai/wan-25-preview/requests/${submitted.request_id}/status`,
    );
    expect(fake.submits[0]?.input).toEqual({ ...INPUT, seed: 7 });
    expect(fake.submits[0]?.headers['x-fal-queue-priority']).toBe('normal');
    expect(fake.statusOf(submitted.request_id)).toBe('IN_QUEUE');

    const seen: string[] = [];
    for (;;) {
      const status = await statusOnce(submitted.request_id);
      if (status.status === 'IN_QUEUE') seen.push(`queue ${status.queue_position}`);
      else if (status.status === 'IN_PROGRESS') seen.push(`running ${status.logs.map((log) => log.message).join('|')}`);
      else {
        seen.push(`completed ${status.logs.length} logs`);
        expect(status.metrics?.inference_time).toBeTypeOf('number');
        break;
      }
    }
    expect(seen).toEqual([
      'queue 2',
      'queue 1',
      'queue 0',
      'running Loading model',
      'running Loading model|Generating frames',
      'running Loading model|Generating frames|Encoding video',
      'completed 3 logs',
    ]);
    expect(fake.callsTo('status').map((call) => call.status)).toEqual([202, 202, 202, 202, 202, 202, 200]);

    const result = await fal.queue.result(ENDPOINT, { requestId: submitted.request_id });
    expect(result.requestId).toBe(submitted.request_id);
    expect(result.data.seed).toBe(7);
    expect(result.data.actual_prompt).toBe(INPUT.prompt);
    expect(result.data.video).toMatchObject({ content_type: 'video/mp4', file_size: fixture.length });
    expect(result.data.video.url).toMatch(/^https:\/\/v3\.fal\.media\/files\/\w+\/output\.mp4$/);

    const video = await fetch(toFake(result.data.video.url));
    expect(video.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await video.arrayBuffer()).equals(fixture)).toBe(true);
    expect(fake.callsTo('cdn')).toHaveLength(1);
  });

  it('answers logs: null when logs are not asked for', async () => {
    fake.scriptNext([step.running('one'), step.completes()]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    const status = await fal.queue.status(ENDPOINT, { requestId, logs: false });
    expect(status).toMatchObject({ status: 'IN_PROGRESS', logs: null });
    expect(fake.callsTo('status')[0]?.query).toEqual({ logs: '0' });
  });

  it('streams status events until COMPLETED', async () => {
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    const updates: string[] = [];
    const done = await fal.queue.subscribeToStatus(ENDPOINT, {
      requestId,
      mode: 'streaming',
      logs: true,
      onQueueUpdate: (update) => updates.push(update.status),
    });
    expect(done.status).toBe('COMPLETED');
    expect(updates).toEqual(['IN_QUEUE', 'IN_QUEUE', 'IN_QUEUE', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED']);
    expect(fake.callsTo('status')).toHaveLength(1);
    expect(fake.callsTo('status')[0]?.path).toMatch(/\/status\/stream$/);
  });

  it('holds a hanging job IN_PROGRESS until released', async () => {
    fake.scriptNext([step.running('working'), step.hangs(), step.completes()]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    for (let i = 0; i < 4; i++) expect((await statusOnce(requestId)).status).toBe('IN_PROGRESS');
    fake.release(requestId);
    expect((await statusOnce(requestId)).status).toBe('COMPLETED');
  });

  it('keeps the status stream open while a job hangs, and ends it after release', async () => {
    fake.scriptNext([step.queued(1), step.running('working'), step.hangs(), step.completes()]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    const logs: string[] = [];
    const done = fal.queue.subscribeToStatus(ENDPOINT, {
      requestId,
      mode: 'streaming',
      logs: true,
      onQueueUpdate: (update) => {
        if ('logs' in update) logs.splice(0, logs.length, ...update.logs.map((log) => log.message));
      },
    });
    await fake.waitFor(() => fake.statusOf(requestId) === 'IN_PROGRESS');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.statusOf(requestId)).toBe('IN_PROGRESS');
    fake.release(requestId);
    expect((await done).status).toBe('COMPLETED');
    // The stream sends each log line once; the client accumulates them.
    expect(logs).toEqual(['working']);
  });

  it("surfaces the model's 422 as the client's ValidationError", async () => {
    fake.scriptNext([step.fails(falValidationError('content_policy_violation'))]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    expect((await statusOnce(requestId)).status).toBe('COMPLETED');

    const error = await fal.queue.result(ENDPOINT, { requestId }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.status).toBe(422);
    expect(validation.requestId).toBe(requestId);
    expect(validation.body.detail[0]?.type).toBe('content_policy_violation');
    // fal's 422 bodies carry `detail`, not `message`, so the message is only the status text (PROTOCOLS §2).
    expect(validation.message).toBe('Unprocessable Entity');
  });

  it('queues nothing when the submit fails with a 500', async () => {
    fake.scriptNext([step.submitRejected(falInfraError(500, 'internal_server_error'))]);
    const error = await fal.queue.submit(ENDPOINT, { input: INPUT }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError<unknown>).status).toBe(500);
    expect(fake.callsTo('submit')).toHaveLength(1); // 500 is not in the submit's retry list
    expect(fake.submits).toHaveLength(0);
  });

  it('queues the job even though the submit answered an error (lost response)', async () => {
    fake.scriptNext([step.submitAnswerLost({ status: 500, body: { detail: 'lost' } }), step.completes()]);
    await expect(fal.queue.submit(ENDPOINT, { input: INPUT })).rejects.toBeInstanceOf(ApiError);
    expect(fake.submits).toHaveLength(1);
    expect(fake.statusOf(fake.submits[0]?.requestId ?? '')).toBe('IN_QUEUE');
  });

  it('cancels a queued job and refuses to cancel a running one', async () => {
    const { request_id: queued } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    await fal.queue.cancel(ENDPOINT, { requestId: queued });
    expect(fake.statusOf(queued)).toBe('CANCELLED');
    expect(fake.callsTo('cancel')[0]?.status).toBe(202);
    expect((await statusOnce(queued)).status).toBe('COMPLETED');
    await expect(fal.queue.result(ENDPOINT, { requestId: queued })).rejects.toMatchObject({ status: 499 });

    fake.scriptNext([step.running('Loading model'), step.completes()]);
    const { request_id: running } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    await statusOnce(running);
    await expect(fal.queue.cancel(ENDPOINT, { requestId: running })).rejects.toMatchObject({
      status: 400,
      body: { status: 'ALREADY_COMPLETED' },
    });
    expect(fake.statusOf(running)).toBe('IN_PROGRESS');
  });
});

describe('fake fal on the wire', () => {
  it('rejects queue calls without a key', async () => {
    const response = await fetch(`${fake.baseUrl}/fal-ai/wan-25-preview/image-to-video`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(INPUT),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: 'Unauthorized' });
    expect(fake.submits).toHaveLength(0);
  });

  it('answers scripted status errors before progressing', async () => {
    fake.scriptNext([step.statusFails(falInfraError(503, 'runner_scheduling_failure')), step.queued(2), step.completes()]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    const statusUrl = `${fake.baseUrl}/fal-ai/wan-25-preview/requests/${requestId}/status?logs=1`;

    const failed = await fetch(statusUrl, { headers: AUTH });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('x-fal-error-type')).toBe('runner_scheduling_failure');
    expect(failed.headers.get('x-fal-retryable')).toBe('true');
    expect(await failed.json()).toMatchObject({ error_type: 'runner_scheduling_failure' });

    const next = await fetch(statusUrl, { headers: AUTH });
    expect(next.status).toBe(202);
    expect(await next.json()).toMatchObject({ status: 'IN_QUEUE', queue_position: 2, request_id: requestId });
  });

  it('answers the scripted CDN error for the output video', async () => {
    fake.scriptNext([step.completes(), step.everyDownloadFails({ status: 403, body: { detail: 'gone' } })]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    await statusOnce(requestId);
    const { data } = await fal.queue.result(ENDPOINT, { requestId });
    expect((await fetch(toFake(data.video.url))).status).toBe(403);
  });

  it('closes while a status stream is still open', async () => {
    fake.scriptNext([step.running('working'), step.hangs(), step.completes()]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    const response = await fetch(`${fake.baseUrl}/fal-ai/wan-25-preview/requests/${requestId}/status/stream`, { headers: AUTH });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    await fake.waitFor(() => fake.statusOf(requestId) === 'IN_PROGRESS');
    const reading = response.text().catch((error: unknown) => error);
    await fake.close();
    await reading; // the stream ends (with an error) instead of hanging the test
  });

  it('follows a job back in line when its script queues it again after running', async () => {
    fake.scriptNext([step.queued(0), step.running('a'), step.queued(0), step.running('b'), step.completes()]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    const seen: string[] = [];
    for (let i = 0; i < 5; i += 1) seen.push((await statusOnce(requestId)).status);
    expect(seen).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']);
  });

  it('answers one result call with the scripted passing error, then the result', async () => {
    fake.scriptNext([step.completes(), step.resultFailsOnce(falInfraError(503, 'runner_unavailable'))]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    await statusOnce(requestId);
    const resultUrl = `${fake.baseUrl}/fal-ai/wan-25-preview/requests/${requestId}`;
    const failed = await fetch(resultUrl, { headers: AUTH });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('x-fal-retryable')).toBe('true');
    const next = await fetch(resultUrl, { headers: AUTH });
    expect(next.status).toBe(200);
    expect(next.headers.get('x-fal-request-id')).toBe(requestId);
    expect(await next.json()).toMatchObject({ video: { content_type: 'video/mp4' } });
  });

  it('holds the video at the CDN until released, then serves it to every download', async () => {
    fake.scriptNext([step.completes(), step.downloadsWait()]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    await statusOnce(requestId);
    const { data } = await fal.queue.result(ENDPOINT, { requestId });
    let served = false;
    const download = fetch(toFake(data.video.url)).then(async (response) => {
      served = true;
      return Buffer.from(await response.arrayBuffer());
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(served).toBe(false);
    fake.release(requestId);
    expect((await download).equals(fixture)).toBe(true);
    expect((await fetch(toFake(data.video.url))).status).toBe(200);
  });

  it('breaks off every download of the video half-way', async () => {
    fake.scriptNext([step.completes(), step.everyDownloadBreaksOff()]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    await statusOnce(requestId);
    const { data } = await fal.queue.result(ENDPOINT, { requestId });
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(toFake(data.video.url));
      expect(response.headers.get('content-length')).toBe(String(fixture.length));
      await expect(response.arrayBuffer()).rejects.toThrow();
    }
  });

  it('lets a release given before the job reaches its hold count for that hold', async () => {
    fake.scriptNext([step.running('working'), step.hangs(), step.completes()]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    fake.release(requestId);
    expect((await statusOnce(requestId)).status).toBe('IN_PROGRESS');
    expect((await statusOnce(requestId)).status).toBe('COMPLETED');
    expect(() => fake.release(requestId)).toThrow(/holds nothing/);
  });

  it('queues the job but holds the submit answer until releaseSubmits()', async () => {
    fake.scriptNext([step.submitAnswerHeld(), step.completes()]);
    let answered = false;
    const submit = fal.queue.submit(ENDPOINT, { input: INPUT }).then((answer) => {
      answered = true;
      return answer;
    });
    const queued = await fake.waitFor(() => fake.submits[0]);
    expect(fake.statusOf(queued.requestId)).toBe('IN_QUEUE');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    fake.releaseSubmits();
    expect((await submit).request_id).toBe(queued.requestId);
  });

  it('queues the job but breaks off the submit answer after the headers', async () => {
    fake.scriptNext([step.submitAnswerBreaksOff(), step.completes()]);
    const response = await fetch(`${fake.baseUrl}/fal-ai/wan-25-preview/image-to-video`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(INPUT),
    });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(fake.submits).toHaveLength(1);
  });

  it('breaks off a status stream whose script fails a status call', async () => {
    fake.scriptNext([step.queued(1), step.statusFails(falInfraError(503, 'runner_unavailable')), step.completes()]);
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    const response = await fetch(`${fake.baseUrl}/fal-ai/wan-25-preview/requests/${requestId}/status/stream`, { headers: AUTH });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('refuses a script with a step out of place, at the line that wrote it', () => {
    expect(() => fake.scriptNext([step.queued(0), step.running('x')])).toThrow(/finish exactly once/);
    expect(() => fake.setDefaultScript([step.completes(), step.running('x')])).toThrow(/step 2 \(running\) must come before/);
  });

  it('waits for a probe to hold', async () => {
    const submit = fal.queue.submit(ENDPOINT, { input: INPUT });
    const accepted = await fake.waitFor(() => fake.submits[0]);
    expect(accepted.requestId).toBe((await submit).request_id);
    await expect(fake.waitFor(() => false, 30)).rejects.toThrow(/timed out/);
  });
});

describe("the fake's WAN 2.5 checks the picture as fal does", () => {
  async function submitWith(picture: Buffer, contentType: string): Promise<unknown> {
    const imageUrl = await fal.storage.upload(new Blob([new Uint8Array(picture)], { type: contentType }));
    return fal.queue.submit(ENDPOINT, { input: { prompt: 'the cat waves', image_url: imageUrl } }).then(
      () => 'accepted',
      (error: unknown) => error,
    );
  }

  it.each([
    ['a PNG with an alpha channel', () => makeImage(512, 512, 'png', { alpha: true }), 'image/png', 'unsupported_image_format'],
    ['a GIF', () => makeImage(400, 400, 'gif'), 'image/gif', 'unsupported_image_format'],
    ['an animated WEBP', () => animatedWebp(400, 400), 'image/webp', 'unsupported_image_format'],
    ['a picture 300 px wide', () => makeImage(300, 600), 'image/png', 'image_too_small'],
    ['a picture 2400 px wide', () => makeImage(2400, 1600), 'image/png', 'image_too_large'],
    ['a 12 MB PNG', () => gradient(2000, 2000).png({ compressionLevel: 0 }).toBuffer(), 'image/png', 'file_too_large'],
    ['text', () => Promise.resolve(Buffer.from('not a picture')), 'image/png', 'image_load_error'],
  ])('refuses %s with a 422 of its type, queueing nothing', async (_label, make, contentType, type) => {
    const error = await submitWith(await make(), contentType);
    expect(error).toBeInstanceOf(ValidationError);
    expect(((error as ValidationError).body as { detail: Array<{ type: string }> }).detail[0]?.type).toBe(type);
    expect(fake.submits).toEqual([]);
    expect(fake.imageRefusals.map((refusal) => refusal.type)).toEqual([type]);
  });

  it('accepts a picture in range, and says what it saw', async () => {
    expect(await submitWith(await makeImage(2000, 360, 'jpeg'), 'image/jpeg')).toBe('accepted');
    expect(fake.submits[0]?.image).toMatchObject({ format: 'jpeg', width: 2000, height: 360, hasAlpha: false, frames: 1 });
  });
});
