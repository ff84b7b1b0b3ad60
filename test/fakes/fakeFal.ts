// A fake fal (queue + storage + CDN) on one loopback port, for tests, the demo and the benchmarks.
// Wire facts: PROTOCOLS.md §1 and §2 (the team's shared notes). Point the real @fal-ai/client at it by
// rewriting https://(queue.fal.run|fal.run|rest.fal.ai|rest.alpha.fal.ai|v3.fal.media) to `baseUrl`
// in both `requestMiddleware` and `fetch` (see test/integration/fakeFal.test.ts).
//
// A test says what fal does with each job as an ordered list of steps: start with ./fal/scripts.ts.
// The parts: ./fal/queue.ts (submit, status, result, cancel) walking ./fal/job.ts, ./fal/storage.ts,
// ./fal/cdn.ts, and ./fal/server.ts, which serves them all on one port.
import { readFile } from 'node:fs/promises';
import { createFakeCdn } from './fal/cdn.js';
import type { FalErrorResponse } from './fal/errors.js';
import type { FakeFalCallKind, RecordedFalCall } from './fal/http.js';
import type { FakeFalJobState } from './fal/job.js';
import { createFakeQueue, type FakeFalSubmit, type FakeImageRefusal } from './fal/queue.js';
import type { FalScript } from './fal/scripts.js';
import { startFakeFalServer } from './fal/server.js';
import { createFakeStorage, type FakeUpload } from './fal/storage.js';
import { JWKS_PATH, createFakeWebhooks, type SentWebhook, type WebhookKind } from './fal/webhooks.js';

// What a test needs to script the fake and read what it saw.
export { falInfraError, falValidationError, type FalErrorResponse } from './fal/errors.js';
export type { FakeFalCallKind, RecordedFalCall } from './fal/http.js';
export type { FakeFalJobState } from './fal/job.js';
export type { FakeFalSubmit, FakeImageRefusal } from './fal/queue.js';
export { FAL_IMAGE_LIMITS, judgeImage, type FalSeenImage } from './fal/imageLimits.js';
export { DEFAULT_FAL_SCRIPT, step, type FalOutput, type FalScript, type FalStep } from './fal/scripts.js';
export type { FakeUpload } from './fal/storage.js';
export type { SentWebhook, WebhookKind } from './fal/webhooks.js';

const WAIT_FOR_POLL_MS = 10;

export interface FakeFal {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** Every request, in arrival order. */
  readonly calls: RecordedFalCall[];
  /** Only accepted (queued) submits, including those whose answer was lost, held or broken off. */
  readonly submits: FakeFalSubmit[];
  /** Submits the model refused (422) because of their picture: WAN 2.5 checks it as the real one does (fal/imageLimits.ts). */
  readonly imageRefusals: FakeImageRefusal[];
  /** Completed uploads (initiate + PUT). */
  readonly uploads: FakeUpload[];
  /** A FIFO consumed one per authorised submit attempt; when empty the default script is used. Checked at once. */
  scriptNext(script: FalScript): void;
  setDefaultScript(script: FalScript): void;
  /** Lets the job's next hold go (waitsInQueue, hangs, downloadsWait); throws if its script holds nothing more. */
  release(requestId: string): void;
  /** Sends every submit answer held by step.submitAnswerHeld(). */
  releaseSubmits(): void;
  /** Storage uploads (the PUT) wait, unanswered and not yet stored, until releaseUploads(). */
  holdUploads(): void;
  releaseUploads(): void;
  /** The next `times` storage uploads (the PUT) answer this. */
  failUploads(response: FalErrorResponse, times?: number): void;
  statusOf(requestId: string): FakeFalJobState | undefined;
  /** Where the fake serves the public key its webhooks are signed with (the bot's FAL_WEBHOOK_JWKS_URL). */
  readonly jwksUrl: string;
  /** Every webhook the fake sent, with the bot's answer. */
  readonly webhooks: SentWebhook[];
  /** fal works on its own: the job walks its status steps to the finish (and its webhook step) without a status call. */
  finishNow(requestId: string): void;
  /** Sends the request's webhook now (the job should have finished): fal's own, or a forgery. Resolves with the bot's status. */
  sendWebhook(requestId: string, kind?: WebhookKind): Promise<number>;
  /** Sends the request's last webhook again, byte for byte, as fal's retries do. */
  replayWebhook(requestId: string): Promise<number>;
  callsTo(kind: FakeFalCallKind): RecordedFalCall[];
  /** The request of each status stream open now (a request twice when two listen): who is being followed at this moment. */
  openStatusStreams(): string[];
  /** Polls `probe` every 10 ms until it returns something other than undefined/false. */
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** `defaultScript` (default DEFAULT_FAL_SCRIPT) runs every job no scriptNext() was given for. */
export async function startFakeFal(options: { defaultScript?: FalScript } = {}): Promise<FakeFal> {
  const defaultVideo = await loadSampleVideo();
  const server = await startFakeFalServer();
  const cdn = createFakeCdn();
  const storage = createFakeStorage({ baseUrl: server.baseUrl, cdn });
  const webhooks = createFakeWebhooks();
  const queue = createFakeQueue({ cdn, defaultVideo, webhooks, ...options });
  server.serve([...webhooks.routes, ...storage.routes, ...queue.routes, ...cdn.routes]);

  return {
    port: server.port,
    baseUrl: server.baseUrl,
    calls: server.calls,
    submits: queue.submits,
    imageRefusals: queue.imageRefusals,
    uploads: storage.uploads,
    scriptNext: (script) => queue.scriptNext(script),
    setDefaultScript: (script) => queue.setDefaultScript(script),
    release: (requestId) => queue.release(requestId),
    releaseSubmits: () => queue.releaseSubmits(),
    holdUploads: () => storage.holdUploads(),
    releaseUploads: () => storage.releaseUploads(),
    failUploads: (response, times) => storage.failUploads(response, times),
    statusOf: (requestId) => queue.statusOf(requestId),
    jwksUrl: `${server.baseUrl}${JWKS_PATH}`,
    webhooks: webhooks.sent,
    finishNow: (requestId) => queue.jobOf(requestId).finishNow(),
    sendWebhook: (requestId, kind = 'signed') => webhooks.send(queue.jobOf(requestId), kind),
    replayWebhook: (requestId) => webhooks.replay(requestId),
    callsTo: (kind) => server.callsTo(kind),
    openStatusStreams: () => queue.openStatusStreams(),
    waitFor: (probe, timeoutMs) => waitFor(probe, timeoutMs),
    async close() {
      queue.close();
      await server.close();
    },
  };
}

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`fake fal: waitFor timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, WAIT_FOR_POLL_MS));
  }
}

async function loadSampleVideo(): Promise<Buffer> {
  // From test/fakes/ under vitest, and from dist/test/fakes/ after `tsc` (fixtures are not copied).
  const candidates = ['../fixtures/sample.mp4', '../../../test/fixtures/sample.mp4'];
  for (const candidate of candidates) {
    try {
      return await readFile(new URL(candidate, import.meta.url));
    } catch {
      // try the next location
    }
  }
  throw new Error('fake fal: test/fixtures/sample.mp4 not found (see test/fixtures/README.md)');
}
