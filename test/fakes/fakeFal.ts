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

// What a test needs to script the fake and read what it saw.
export { falInfraError, falValidationError, type FalErrorResponse } from './fal/errors.js';
export type { FakeFalCallKind, RecordedFalCall } from './fal/http.js';
export type { FakeFalJobState } from './fal/job.js';
export type { FakeFalSubmit, FakeImageRefusal } from './fal/queue.js';
export { FAL_IMAGE_LIMITS, judgeImage, type FalSeenImage } from './fal/imageLimits.js';
export { DEFAULT_FAL_SCRIPT, step, type FalOutput, type FalScript, type FalStep } from './fal/scripts.js';
export type { FakeUpload } from './fal/storage.js';

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
  callsTo(kind: FakeFalCallKind): RecordedFalCall[];
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
  const queue = createFakeQueue({ cdn, defaultVideo, ...options });
  server.serve([...storage.routes, ...queue.routes, ...cdn.routes]);

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
    callsTo: (kind) => server.callsTo(kind),
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
