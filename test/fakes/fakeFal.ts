// A fake fal (queue + storage + CDN) on one loopback port, for tests and the demo.
// Wire facts: PROTOCOLS.md §1 and §2 (the team's shared notes). Point the real @fal-ai/client at it by
// rewriting https://(queue.fal.run|fal.run|rest.fal.ai|rest.alpha.fal.ai|v3.fal.media) to `baseUrl`
// in both `requestMiddleware` and `fetch` (see test/unit/fakeFal.test.ts).
//
// Progress is driven by status calls, not by time: every status call (and every event of the
// status stream) advances a job one step through its script, so tests do not depend on poll
// intervals.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FalErrorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FalScript {
  /** One per status call while IN_QUEUE; default [2, 1, 0]. */
  queuePositions?: number[];
  /** One new log line per status call while IN_PROGRESS; completes on the call after the last. */
  runningLogs?: string[];
  /** Stays IN_PROGRESS (after the logs) until release(requestId) is called. */
  hang?: boolean;
  /** The submit answers this and queues nothing. */
  submitError?: FalErrorResponse;
  /** The job IS queued but the submit answers this error (models a lost response). */
  submitAcceptThenFail?: FalErrorResponse;
  /** The first N status calls answer these, in order, before normal progress. They do not advance the job. */
  statusErrors?: FalErrorResponse[];
  /** The result endpoint answers this instead of the output (e.g. a 422). Status still reaches COMPLETED. */
  resultError?: FalErrorResponse;
  /** Output video; default test/fixtures/sample.mp4. */
  videoBytes?: Buffer;
  seed?: number;
  actualPrompt?: string;
  /** The CDN answers this for the output video. */
  outputError?: FalErrorResponse;
  /** The CDN declares the whole video but sends only its first half, then closes. */
  outputTruncated?: boolean;
  /** The CDN holds the output video until release(requestId). */
  holdOutput?: boolean;
  /** Stays IN_QUEUE at its last position until release(requestId). */
  holdInQueue?: boolean;
  /** The job is queued at once, but the submit's HTTP answer waits until releaseSubmits(). */
  holdSubmitResponse?: boolean;
  /** The job is queued and the submit answers 200, but the body breaks off half-way (connection drop). */
  submitBodyBreaks?: boolean;
  /** The first N result calls answer these, in order, before the real result. */
  resultErrors?: FalErrorResponse[];
  /** After its running logs, the job goes back in line once (a runner failed), then runs again. */
  requeueOnce?: boolean;
}

export interface RecordedFalCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  json: unknown;
  bodyBytes: number;
  /** Response status; for the status stream, the status it started with. */
  status: number;
  at: number;
}

export interface FakeFalSubmit {
  requestId: string;
  // Tests read arbitrary input fields (`submits[0].input.prompt`); the fake does not validate input.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  input: any;
  headers: Record<string, string>;
  query: Record<string, string>;
}

export type FakeFalCallKind = 'submit' | 'status' | 'result' | 'cancel' | 'initiate' | 'upload' | 'cdn';

/** The fake's own view of a job. On the wire a cancelled job reports COMPLETED. */
export type FakeFalJobState = 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';

export interface FakeFal {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** Every request, in arrival order. */
  readonly calls: RecordedFalCall[];
  /** Only accepted (queued) submits, including submitAcceptThenFail ones. */
  readonly submits: FakeFalSubmit[];
  /** Completed uploads (initiate + PUT). */
  readonly uploads: Array<{ fileUrl: string; contentType: string; fileName: string; bytes: Buffer }>;
  /** A FIFO consumed one per authorised submit attempt; when empty the default script is used. */
  scriptNext(script: FalScript): void;
  setDefaultScript(script: FalScript): void;
  /** Lets a hanging (or held in queue, or held output) job go on. */
  release(requestId: string): void;
  /** Sends every submit answer held by `holdSubmitResponse`. */
  releaseSubmits(): void;
  /** Storage uploads (the PUT) wait until releaseUploads(); the bytes are stored, the answer held. */
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

// The queue paths use owner/alias only; the submit path carries the endpoint's sub-path (PROTOCOLS §2).
const ENDPOINT_PATH = '/fal-ai/wan-25-preview/image-to-video';
const APP_PATH = '/fal-ai/wan-25-preview';
const QUEUE_ORIGIN = 'https://queue.fal.run';
const CDN_ORIGIN = 'https://v3.fal.media';
const STREAM_STEP_MS = 50;
const WAIT_FOR_POLL_MS = 10;
const DEFAULT_QUEUE_POSITIONS = [2, 1, 0];
const DEFAULT_RUNNING_LOGS = ['Loading model', 'Generating frames', 'Encoding video'];
const DEFAULT_SEED = 1_234_567;

/** A model error as fal sends it: 422 `{ detail: [{ loc, msg, type, ctx }] }` (PROTOCOLS §1). */
export function falValidationError(
  type: string,
  options: { msg?: string; loc?: string[]; ctx?: Record<string, unknown> } = {},
): FalErrorResponse {
  const detail: Record<string, unknown> = {
    loc: options.loc ?? defaultLocFor(type),
    msg: options.msg ?? `fake fal: ${type}`,
    type,
  };
  if (options.ctx !== undefined) detail.ctx = options.ctx;
  return { status: 422, body: { detail: [detail] } };
}

/**
 * An infrastructure error: `{ detail, error_type }` plus X-Fal-Error-Type / X-Fal-Retryable.
 * `retryable` defaults to true for 429, 502, 503 and 504.
 */
export function falInfraError(status: number, errorType: string, retryable?: boolean): FalErrorResponse {
  const isRetryable = retryable ?? [429, 502, 503, 504].includes(status);
  return {
    status,
    body: { detail: `fake fal: ${errorType}`, error_type: errorType },
    headers: { 'X-Fal-Error-Type': errorType, 'X-Fal-Retryable': String(isRetryable) },
  };
}

function defaultLocFor(type: string): string[] {
  if (type.startsWith('image_') || type === 'unsupported_image_format') return ['body', 'image_url'];
  if (type.startsWith('audio_')) return ['body', 'audio_url'];
  if (type === 'content_policy_violation') return ['body', 'prompt'];
  return ['body'];
}

interface RequestLog {
  message: string;
  level: 'INFO';
  source: 'user';
  timestamp: string;
}

interface Job {
  requestId: string;
  script: FalScript;
  input: Record<string, unknown>;
  state: FakeFalJobState;
  queueStep: number;
  logs: RequestLog[];
  released: boolean;
  pendingStatusErrors: FalErrorResponse[];
  pendingResultErrors: FalErrorResponse[];
  requeued: boolean;
  startedAt?: number;
  completedAt?: number;
  outputUrl?: string;
}

interface CdnFile {
  bytes: Buffer;
  contentType: string;
  error?: FalErrorResponse;
  truncated?: boolean;
  /** The job whose release lets this file be served (holdOutput). */
  heldBy?: Job;
}

interface IncomingCall {
  req: IncomingMessage;
  res: ServerResponse;
  call: RecordedFalCall;
  body: Buffer;
  match: RegExpExecArray;
}

interface Route {
  kind: FakeFalCallKind;
  methods: string[];
  pattern: RegExp;
}

const ROUTES: Route[] = [
  { kind: 'initiate', methods: ['POST'], pattern: /^\/storage\/upload\/initiate$/ },
  { kind: 'upload', methods: ['PUT'], pattern: /^\/storage\/upload\/put\/([\w-]+)$/ },
  { kind: 'submit', methods: ['POST'], pattern: new RegExp(`^${ENDPOINT_PATH}/?$`) },
  { kind: 'status', methods: ['GET'], pattern: new RegExp(`^${APP_PATH}/requests/([\\w-]+)/status(/stream)?/?$`) },
  { kind: 'cancel', methods: ['PUT'], pattern: new RegExp(`^${APP_PATH}/requests/([\\w-]+)/cancel/?$`) },
  { kind: 'result', methods: ['GET'], pattern: new RegExp(`^${APP_PATH}/requests/([\\w-]+)/?$`) },
  { kind: 'cdn', methods: ['GET', 'HEAD'], pattern: /^\/files\/.+$/ },
];

function routeOf(method: string, path: string): { route: Route; match: RegExpExecArray } | undefined {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match && route.methods.includes(method)) return { route, match };
  }
  return undefined;
}

async function loadDefaultVideo(): Promise<Buffer> {
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

export async function startFakeFal(options: { defaultScript?: FalScript } = {}): Promise<FakeFal> {
  const defaultVideo = await loadDefaultVideo();
  let defaultScript: FalScript = options.defaultScript ?? {};
  const scriptQueue: FalScript[] = [];
  const jobs = new Map<string, Job>();
  const pendingUploads = new Map<string, { fileUrl: string; cdnPath: string; contentType: string; fileName: string }>();
  const cdn = new Map<string, CdnFile>();
  const kinds = new WeakMap<RecordedFalCall, FakeFalCallKind>();
  const streams = new Set<{ res: ServerResponse; timer?: NodeJS.Timeout }>();
  const calls: RecordedFalCall[] = [];
  const submits: FakeFalSubmit[] = [];
  const uploads: FakeFal['uploads'] = [];
  const uploadFailures: FalErrorResponse[] = [];
  const heldSubmits: Array<() => void> = [];
  let uploadsHeld = false;
  const heldUploads: Array<() => void> = [];
  const heldOutputs: Array<{ file: CdnFile; serve: () => void }> = [];

  // --- responses -----------------------------------------------------------

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  function sendError(res: ServerResponse, error: FalErrorResponse, headers: Record<string, string> = {}): void {
    if (error.body === undefined) {
      res.writeHead(error.status, { 'content-length': 0, ...headers, ...error.headers });
      res.end();
      return;
    }
    sendJson(res, error.status, error.body, { ...headers, ...error.headers });
  }

  function isAuthorised({ call, res }: IncomingCall): boolean {
    if (/^Key \S+$/.test(call.headers.authorization ?? '')) return true;
    sendJson(res, 401, { detail: 'Unauthorized' });
    return false;
  }

  // --- jobs ----------------------------------------------------------------

  function queueUrls(requestId: string): { response_url: string; status_url: string; cancel_url: string } {
    const responseUrl = `${QUEUE_ORIGIN}${APP_PATH}/requests/${requestId}`;
    return { response_url: responseUrl, status_url: `${responseUrl}/status`, cancel_url: `${responseUrl}/cancel` };
  }

  /** Moves the job one step through its script. */
  function advance(job: Job): void {
    if (job.state === 'COMPLETED' || job.state === 'CANCELLED') return;
    const positions = job.script.queuePositions ?? DEFAULT_QUEUE_POSITIONS;
    const runningLogs = job.script.runningLogs ?? DEFAULT_RUNNING_LOGS;
    if (job.queueStep < positions.length) {
      job.queueStep += 1;
      return;
    }
    if (job.script.holdInQueue && !job.released) return;
    job.startedAt ??= Date.now();
    if (job.logs.length < runningLogs.length) {
      job.state = 'IN_PROGRESS';
      const message = runningLogs[job.logs.length] ?? '';
      job.logs.push({ message, level: 'INFO', source: 'user', timestamp: new Date().toISOString() });
      return;
    }
    if (job.script.hang && !job.released) {
      job.state = 'IN_PROGRESS';
      return;
    }
    if (job.script.requeueOnce && !job.requeued) {
      // Back in line at the last queue position, as fal does when a runner dies.
      job.requeued = true;
      job.state = 'IN_QUEUE';
      return;
    }
    complete(job);
  }

  function complete(job: Job): void {
    job.state = 'COMPLETED';
    job.completedAt = Date.now();
    if (job.script.resultError) return;
    const path = `/files/${randomBytes(8).toString('hex')}/output.mp4`;
    job.outputUrl = `${CDN_ORIGIN}${path}`;
    const file: CdnFile = { bytes: job.script.videoBytes ?? defaultVideo, contentType: 'video/mp4' };
    if (job.script.outputError) file.error = job.script.outputError;
    if (job.script.outputTruncated) file.truncated = true;
    if (job.script.holdOutput) file.heldBy = job;
    cdn.set(path, file);
  }

  /** The status body for the job's current state; `logs` is null unless asked for, like fal. */
  function statusBody(job: Job, logs: RequestLog[] | null): Record<string, unknown> {
    const base = { request_id: job.requestId, ...queueUrls(job.requestId) };
    switch (job.state) {
      case 'IN_QUEUE': {
        const positions = job.script.queuePositions ?? DEFAULT_QUEUE_POSITIONS;
        const position = positions[Math.max(0, job.queueStep - 1)] ?? 0;
        return { status: 'IN_QUEUE', queue_position: position, ...base };
      }
      case 'IN_PROGRESS':
        return { status: 'IN_PROGRESS', logs, ...base };
      case 'COMPLETED':
      case 'CANCELLED': {
        // A cancelled request is finished as far as the queue is concerned; its result says why.
        const inferenceTime = ((job.completedAt ?? Date.now()) - (job.startedAt ?? Date.now())) / 1000;
        return { status: 'COMPLETED', logs, metrics: { inference_time: inferenceTime }, ...base };
      }
    }
  }

  function jobFor(incoming: IncomingCall): Job | undefined {
    const job = jobs.get(incoming.match[1] ?? '');
    if (!job) sendJson(incoming.res, 404, { detail: 'Request not found' });
    return job;
  }

  // --- handlers ------------------------------------------------------------

  function handleInitiate(incoming: IncomingCall): void {
    if (!isAuthorised(incoming)) return;
    const body = incoming.call.json as { content_type?: unknown; file_name?: unknown } | undefined;
    if (typeof body?.content_type !== 'string' || typeof body.file_name !== 'string') {
      sendJson(incoming.res, 422, {
        detail: [{ loc: ['body'], msg: 'content_type and file_name are required', type: 'missing' }],
      });
      return;
    }
    const id = randomUUID().replaceAll('-', '');
    const cdnPath = `/files/uploads/${id}/${encodeURIComponent(body.file_name)}`;
    const fileUrl = `${CDN_ORIGIN}${cdnPath}`;
    pendingUploads.set(id, { fileUrl, cdnPath, contentType: body.content_type, fileName: body.file_name });
    sendJson(incoming.res, 200, { upload_url: `${fake.baseUrl}/storage/upload/put/${id}`, file_url: fileUrl });
  }

  function handleUpload(incoming: IncomingCall): void {
    if (uploadsHeld) {
      heldUploads.push(() => handleUpload(incoming));
      return;
    }
    const { res, body, match } = incoming;
    const failure = uploadFailures.shift();
    if (failure) {
      sendError(res, failure);
      return;
    }
    const pending = pendingUploads.get(match[1] ?? '');
    if (!pending) {
      sendJson(res, 404, { detail: 'Upload not initiated' });
      return;
    }
    cdn.set(pending.cdnPath, { bytes: body, contentType: pending.contentType });
    uploads.push({ fileUrl: pending.fileUrl, contentType: pending.contentType, fileName: pending.fileName, bytes: body });
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  }

  function handleSubmit(incoming: IncomingCall): void {
    if (!isAuthorised(incoming)) return;
    const { call, res } = incoming;
    const script = scriptQueue.shift() ?? defaultScript;
    if (script.submitError) {
      sendError(res, script.submitError);
      return;
    }
    const requestId = randomUUID();
    const input = (call.json ?? {}) as Record<string, unknown>;
    jobs.set(requestId, {
      requestId,
      script,
      input,
      state: 'IN_QUEUE',
      queueStep: 0,
      logs: [],
      released: false,
      pendingStatusErrors: [...(script.statusErrors ?? [])],
      pendingResultErrors: [...(script.resultErrors ?? [])],
      requeued: false,
    });
    submits.push({ requestId, input: call.json, headers: call.headers, query: call.query });
    if (script.submitAcceptThenFail) {
      sendError(res, script.submitAcceptThenFail);
      return;
    }
    const firstPosition = (script.queuePositions ?? DEFAULT_QUEUE_POSITIONS)[0] ?? 0;
    const answer = () =>
      sendJson(
        res,
        200,
        { request_id: requestId, ...queueUrls(requestId), queue_position: firstPosition },
        { 'x-fal-request-id': requestId },
      );
    if (script.submitBodyBreaks) {
      const text = JSON.stringify({ request_id: requestId, ...queueUrls(requestId) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, 10), () => res.destroy());
    } else if (script.holdSubmitResponse) heldSubmits.push(answer);
    else answer();
  }

  function handleStatus(incoming: IncomingCall): void {
    if (!isAuthorised(incoming)) return;
    const job = jobFor(incoming);
    if (!job) return;
    const statusError = job.pendingStatusErrors.shift();
    if (statusError) {
      sendError(incoming.res, statusError);
      return;
    }
    const withLogs = incoming.call.query.logs === '1';
    if (incoming.match[2] === '/stream') {
      streamStatus(incoming, job, withLogs);
      return;
    }
    advance(job);
    const body = statusBody(job, withLogs ? [...job.logs] : null);
    sendJson(incoming.res, body.status === 'COMPLETED' ? 200 : 202, body, { 'x-fal-request-id': job.requestId });
  }

  /** SSE: one `data: {json}` event per step, every STREAM_STEP_MS, until COMPLETED. Logs are sent once each. */
  function streamStatus({ res }: IncomingCall, job: Job, withLogs: boolean): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-fal-request-id': job.requestId,
    });
    const stream: { res: ServerResponse; timer?: NodeJS.Timeout } = { res };
    streams.add(stream);
    let logsSent = 0;
    let lastEvent = '';
    const tick = (): void => {
      advance(job);
      const body = statusBody(job, withLogs ? job.logs.slice(logsSent) : null);
      logsSent = job.logs.length;
      const event = `data: ${JSON.stringify(body)}\n\n`;
      // While hanging nothing changes: stay quiet rather than repeat the same event.
      if (event !== lastEvent) res.write(event);
      lastEvent = event;
      if (body.status === 'COMPLETED') {
        streams.delete(stream);
        res.end();
        return;
      }
      stream.timer = setTimeout(tick, STREAM_STEP_MS);
    };
    res.on('close', () => {
      clearTimeout(stream.timer);
      streams.delete(stream);
    });
    tick();
  }

  function handleResult(incoming: IncomingCall): void {
    if (!isAuthorised(incoming)) return;
    const job = jobFor(incoming);
    if (!job) return;
    const headers = { 'x-fal-request-id': job.requestId };
    if (job.state === 'CANCELLED') {
      // Assumption, not pinned against real fal: the result of a cancelled request is a client_cancelled error.
      sendError(incoming.res, falInfraError(499, 'client_cancelled', false), headers);
      return;
    }
    if (job.state !== 'COMPLETED') {
      sendJson(incoming.res, 400, { detail: 'Request is still in progress' }, headers);
      return;
    }
    const resultError = job.pendingResultErrors.shift() ?? job.script.resultError;
    if (resultError) {
      sendError(incoming.res, resultError, headers);
      return;
    }
    const bytes = job.script.videoBytes ?? defaultVideo;
    const inputSeed = job.input.seed;
    sendJson(
      incoming.res,
      200,
      {
        video: { url: job.outputUrl, content_type: 'video/mp4', file_name: 'output.mp4', file_size: bytes.length },
        seed: job.script.seed ?? (typeof inputSeed === 'number' ? inputSeed : DEFAULT_SEED),
        actual_prompt: job.script.actualPrompt ?? (typeof job.input.prompt === 'string' ? job.input.prompt : ''),
      },
      headers,
    );
  }

  function handleCancel(incoming: IncomingCall): void {
    if (!isAuthorised(incoming)) return;
    const job = jobs.get(incoming.match[1] ?? '');
    if (!job) {
      sendJson(incoming.res, 404, { status: 'NOT_FOUND' });
      return;
    }
    if (job.state !== 'IN_QUEUE') {
      sendJson(incoming.res, 400, { status: 'ALREADY_COMPLETED' });
      return;
    }
    job.state = 'CANCELLED';
    job.completedAt = Date.now();
    sendJson(incoming.res, 202, { status: 'CANCELLATION_REQUESTED' });
  }

  function handleCdn({ req, res, call }: IncomingCall): void {
    const file = cdn.get(call.path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    if (file.heldBy && !file.heldBy.released) {
      heldOutputs.push({ file, serve: () => handleCdn({ req, res, call } as IncomingCall) });
      return;
    }
    if (file.error) {
      sendError(res, file.error);
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
    if (req.method === 'HEAD') {
      res.end();
    } else if (file.truncated) {
      // Declared length, half the body, then a closed socket: what a dropped download looks like.
      res.write(file.bytes.subarray(0, Math.floor(file.bytes.length / 2)), () => res.destroy());
    } else {
      res.end(file.bytes);
    }
  }

  const handlers: Record<FakeFalCallKind, (incoming: IncomingCall) => void> = {
    initiate: handleInitiate,
    upload: handleUpload,
    submit: handleSubmit,
    status: handleStatus,
    result: handleResult,
    cancel: handleCancel,
    cdn: handleCdn,
  };

  // --- server --------------------------------------------------------------

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const call: RecordedFalCall = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      json: parseJson(body, headers['content-type']),
      bodyBytes: body.length,
      status: 0,
      at: Date.now(),
    };
    calls.push(call);
    const found = routeOf(method, url.pathname);
    try {
      if (found) {
        kinds.set(call, found.route.kind);
        handlers[found.route.kind]({ req, res, call, body, match: found.match });
      } else {
        sendJson(res, 404, { detail: 'Not Found' });
      }
    } catch (error) {
      // A bug in the fake or a test: make it loud instead of hanging the client.
      if (!res.headersSent) sendJson(res, 500, { detail: `fake fal crashed: ${String(error)}` });
      else res.destroy();
    }
    call.status = res.statusCode;
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const fake: FakeFal = {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    submits,
    uploads,
    scriptNext(script) {
      scriptQueue.push(script);
    },
    setDefaultScript(script) {
      defaultScript = script;
    },
    release(requestId) {
      const job = jobs.get(requestId);
      if (!job) throw new Error(`fake fal: release(${requestId}): no such request`);
      job.released = true;
      for (const held of heldOutputs.splice(0)) {
        if (held.file.heldBy === job) held.serve();
        else heldOutputs.push(held);
      }
    },
    releaseSubmits() {
      for (const answer of heldSubmits.splice(0)) answer();
    },
    holdUploads() {
      uploadsHeld = true;
    },
    releaseUploads() {
      uploadsHeld = false;
      for (const answer of heldUploads.splice(0)) answer();
    },
    failUploads(response, times = 1) {
      for (let i = 0; i < times; i += 1) uploadFailures.push(response);
    },
    statusOf(requestId) {
      return jobs.get(requestId)?.state;
    },
    callsTo(kind) {
      return calls.filter((call) => kinds.get(call) === kind);
    },
    async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline) throw new Error(`fake fal: waitFor timed out after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, WAIT_FOR_POLL_MS));
      }
    },
    async close() {
      if (!server.listening) return; // idempotent: a test may close early and afterEach again
      for (const stream of streams) {
        clearTimeout(stream.timer);
        stream.res.destroy();
      }
      streams.clear();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return fake;
}

function parseJson(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0 || !contentType?.includes('json')) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
