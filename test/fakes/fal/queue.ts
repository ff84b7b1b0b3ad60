// The fake's queue API: submit, status (polled or as an SSE stream), result and cancel (PROTOCOLS.md §2).
// What each job does comes from its script (./scripts.ts), walked by ./job.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FakeCdn } from './cdn.js';
import { falInfraError } from './errors.js';
import { createGate } from './gate.js';
import { WAN25_ENDPOINT, judgeImage, type FalSeenImage } from './imageLimits.js';
import { isAuthorised, sendError, sendJson, type FakeRoute, type IncomingCall } from './http.js';
import { FakeJob, type FakeFalJobState, type RequestLog } from './job.js';
import type { FakeWebhooks, WebhookKind } from './webhooks.js';
import { DEFAULT_FAL_SCRIPT, checkScript, type FalOutput, type FalScript } from './scripts.js';

// Any model's endpoint: the submit path is the endpoint id (owner/alias/sub-path), while the
// queue paths use owner/alias only (PROTOCOLS §2), so a status read at another app's path is a 404.
const APP = '[\\w-]+/[\\w.-]+';
const SUBMIT_PATH = new RegExp(`^/((?!storage/)${APP})((?:/(?!requests/)[\\w.-]+)*)/?$`);
const REQUEST_PATH = (suffix: string) => new RegExp(`^/(${APP})/requests/([\\w-]+)${suffix}/?$`);
const QUEUE_ORIGIN = 'https://queue.fal.run';
const STREAM_STEP_MS = 50;
const DEFAULT_SEED = 1_234_567;

export interface FakeFalSubmit {
  requestId: string;
  /** The model's endpoint id the bot submitted to, e.g. 'fal-ai/wan-25-preview/image-to-video'. */
  endpointId: string;
  // Tests read arbitrary input fields (`submits[0].input.prompt`); the fake does not validate input.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  input: any;
  headers: Record<string, string>;
  query: Record<string, string>;
  /** The picture at `image_url` as the model read it, when the fake checked it (WAN 2.5, a file on its CDN). */
  image: FalSeenImage | undefined;
}

/** A submit the model refused for its picture (422), with what it made of it. */
export interface FakeImageRefusal {
  endpointId: string;
  imageUrl: string;
  image: FalSeenImage | undefined;
  /** fal's `detail[0].type`: 'image_too_small', 'unsupported_image_format'… */
  type: string;
}

export interface FakeQueue {
  readonly routes: FakeRoute[];
  /** Only accepted (queued) submits, including those whose answer was lost, held or broken off. */
  readonly submits: FakeFalSubmit[];
  /** Submits refused because of their picture. */
  readonly imageRefusals: FakeImageRefusal[];
  /** A FIFO consumed one per authorised submit attempt; when empty the default script is used. */
  scriptNext(script: FalScript): void;
  setDefaultScript(script: FalScript): void;
  /** Lets the job's next hold go (waitsInQueue, hangs, downloadsWait). */
  release(requestId: string): void;
  /** Sends every submit answer held by submitAnswerHeld(). */
  releaseSubmits(): void;
  statusOf(requestId: string): FakeFalJobState | undefined;
  /** The job as fal holds it (finishNow, webhooks). */
  jobOf(requestId: string): FakeJob;
  /** The request of each status stream open now (a request twice when two listen). */
  openStatusStreams(): string[];
  /** Ends the open status streams. */
  close(): void;
}

interface OpenStream {
  requestId: string;
  res: ServerResponse;
  timer?: NodeJS.Timeout;
}

export function createFakeQueue(options: { cdn: FakeCdn; defaultVideo: Buffer; defaultScript?: FalScript; webhooks: FakeWebhooks }): FakeQueue {
  let defaultScript = checkScript(options.defaultScript ?? DEFAULT_FAL_SCRIPT);
  const scripts: FalScript[] = [];
  const jobs = new Map<string, FakeJob>();
  const submits: FakeFalSubmit[] = [];
  const imageRefusals: FakeImageRefusal[] = [];
  const streams = new Set<OpenStream>();
  let heldSubmits = createGate();

  /** Each request's owner/alias, from its submit path. */
  const appOf = new Map<string, string>();

  function queueUrls(requestId: string): { response_url: string; status_url: string; cancel_url: string } {
    const responseUrl = `${QUEUE_ORIGIN}/${appOf.get(requestId) ?? ''}/requests/${requestId}`;
    return { response_url: responseUrl, status_url: `${responseUrl}/status`, cancel_url: `${responseUrl}/cancel` };
  }

  function publishVideo(job: FakeJob, output: FalOutput): string {
    const path = `/files/${randomBytes(8).toString('hex')}/output.mp4`;
    return options.cdn.publish(path, { bytes: output.video ?? options.defaultVideo, contentType: 'video/mp4', serving: job.videoServing });
  }

  function callWebhook(job: FakeJob, kind: WebhookKind): void {
    // fal calls back on its own time, not inside the status call that saw the job finish.
    setImmediate(() => void options.webhooks.send(job, kind));
  }

  /** The job a request path names, only under the app it was submitted to. */
  function jobAt(incoming: IncomingCall): FakeJob | undefined {
    const [, app, requestId] = incoming.match;
    return app !== undefined && requestId !== undefined && appOf.get(requestId) === app ? jobs.get(requestId) : undefined;
  }

  function jobFor(incoming: IncomingCall): FakeJob | undefined {
    const job = jobAt(incoming);
    if (!job) sendJson(incoming.res, 404, { detail: 'Request not found' });
    return job;
  }

  /** The status body for the job's current state; `logs` is null unless asked for, like fal. */
  function statusBody(job: FakeJob, logs: RequestLog[] | null): Record<string, unknown> {
    const base = { request_id: job.requestId, ...queueUrls(job.requestId) };
    switch (job.state) {
      case 'IN_QUEUE':
        return { status: 'IN_QUEUE', queue_position: job.queuePosition, ...base };
      case 'IN_PROGRESS':
        return { status: 'IN_PROGRESS', logs, ...base };
      case 'COMPLETED':
      case 'CANCELLED': {
        // A cancelled request is finished as far as the queue is concerned; its result says why.
        const finishedAt = job.finishedAt ?? Date.now();
        const inferenceTime = (finishedAt - (job.startedAt ?? finishedAt)) / 1000;
        return { status: 'COMPLETED', logs, metrics: { inference_time: inferenceTime }, ...base };
      }
    }
  }

  async function submit(incoming: IncomingCall): Promise<void> {
    if (!isAuthorised(incoming)) return;
    const { call, res } = incoming;
    const script = scripts.shift() ?? defaultScript;
    const [first] = script;
    if (first?.kind === 'submitRejected') {
      sendError(res, first.error);
      return;
    }
    const [, app = '', subPath = ''] = incoming.match;
    const endpointId = `${app}${subPath}`;
    const input = (call.json ?? {}) as Record<string, unknown>;
    // The model downloads its picture and checks it before anything is queued or paid.
    let image: FalSeenImage | undefined;
    const picture = endpointId === WAN25_ENDPOINT && typeof input.image_url === 'string' ? options.cdn.fileAt(input.image_url) : undefined;
    if (picture) {
      const verdict = await judgeImage(picture.bytes);
      if (!verdict.ok) {
        const detail = (verdict.error.body as { detail: Array<{ type: string }> }).detail[0];
        imageRefusals.push({ endpointId, imageUrl: String(input.image_url), image: verdict.image, type: detail?.type ?? '' });
        sendError(res, verdict.error);
        return;
      }
      image = verdict.image;
    }
    const requestId = randomUUID();
    appOf.set(requestId, app);
    const job = new FakeJob(requestId, input, script, { publishVideo, callWebhook });
    job.webhookUrl = call.query.fal_webhook;
    jobs.set(requestId, job);
    submits.push({ requestId, endpointId, input: call.json, headers: call.headers, query: call.query, image });
    const answer = { request_id: requestId, ...queueUrls(requestId), queue_position: job.queuePosition };
    switch (first?.kind) {
      case 'submitAnswerLost':
        sendError(res, first.error);
        return;
      case 'submitAnswerBreaksOff': {
        const text = JSON.stringify(answer);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.write(text.slice(0, 10), () => res.destroy());
        return;
      }
      case 'submitAnswerHeld':
        await heldSubmits.opened;
        if (res.destroyed) return; // the bot died waiting
        break;
    }
    sendJson(res, 200, answer, { 'x-fal-request-id': requestId });
  }

  function status(incoming: IncomingCall): void {
    if (!isAuthorised(incoming)) return;
    const job = jobFor(incoming);
    if (!job) return;
    const failure = job.takeStatusCall();
    if (failure) {
      sendError(incoming.res, failure);
      return;
    }
    const withLogs = incoming.call.query.logs === '1';
    if (incoming.match[3] === '/stream') {
      stream(incoming.res, job, withLogs);
      return;
    }
    const body = statusBody(job, withLogs ? [...job.logs] : null);
    sendJson(incoming.res, body.status === 'COMPLETED' ? 200 : 202, body, { 'x-fal-request-id': job.requestId });
  }

  /** SSE: one `data: {json}` event per step, every STREAM_STEP_MS, until COMPLETED. Logs are sent once each. */
  function stream(res: ServerResponse, job: FakeJob, withLogs: boolean): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-fal-request-id': job.requestId,
    });
    const open: OpenStream = { requestId: job.requestId, res };
    streams.add(open);
    let logsSent = 0;
    let lastEvent = '';
    let lastSeen = '';
    const send = (): void => {
      // While a job is held nothing changes: stay quiet rather than repeat the same event. Checked
      // before the event is built, so a thousand quiet streams (the load benchmarks) cost little.
      const seen = `${job.state} ${job.queuePosition} ${job.logs.length}`;
      if (seen === lastSeen) {
        open.timer = setTimeout(next, STREAM_STEP_MS);
        return;
      }
      lastSeen = seen;
      const body = statusBody(job, withLogs ? job.logs.slice(logsSent) : null);
      logsSent = job.logs.length;
      const event = `data: ${JSON.stringify(body)}\n\n`;
      if (event !== lastEvent) res.write(event);
      lastEvent = event;
      if (body.status === 'COMPLETED') {
        streams.delete(open);
        res.end();
        return;
      }
      open.timer = setTimeout(next, STREAM_STEP_MS);
    };
    const next = (): void => {
      // An error status has no place inside an event stream: the stream breaks off, as a dropped one would.
      if (job.takeStatusCall()) {
        streams.delete(open);
        res.destroy();
        return;
      }
      send();
    };
    res.on('close', () => {
      clearTimeout(open.timer);
      streams.delete(open);
    });
    send();
  }

  function result(incoming: IncomingCall): void {
    if (!isAuthorised(incoming)) return;
    const job = jobFor(incoming);
    if (!job) return;
    const headers = { 'x-fal-request-id': job.requestId };
    if (job.state === 'CANCELLED') {
      // Assumption, not pinned against real fal: the result of a cancelled request is a client_cancelled error.
      sendError(incoming.res, falInfraError(499, 'client_cancelled', false), headers);
      return;
    }
    const outcome = job.outcome;
    if (!outcome) {
      sendJson(incoming.res, 400, { detail: 'Request is still in progress' }, headers);
      return;
    }
    const failure = job.takeResultCall();
    if (failure) {
      sendError(incoming.res, failure, headers);
      return;
    }
    if (outcome.kind === 'error') {
      sendError(incoming.res, outcome.error, headers);
      return;
    }
    const { output } = outcome;
    const inputSeed = job.input.seed;
    sendJson(
      incoming.res,
      200,
      {
        video: {
          url: job.videoUrl,
          content_type: 'video/mp4',
          file_name: 'output.mp4',
          file_size: (output.video ?? options.defaultVideo).length,
        },
        seed: output.seed ?? (typeof inputSeed === 'number' ? inputSeed : DEFAULT_SEED),
        actual_prompt: output.actualPrompt ?? (typeof job.input.prompt === 'string' ? job.input.prompt : ''),
      },
      headers,
    );
  }

  function cancel(incoming: IncomingCall): void {
    if (!isAuthorised(incoming)) return;
    const job = jobAt(incoming);
    if (!job) {
      sendJson(incoming.res, 404, { status: 'NOT_FOUND' });
      return;
    }
    if (!job.cancel()) {
      sendJson(incoming.res, 400, { status: 'ALREADY_COMPLETED' });
      return;
    }
    sendJson(incoming.res, 202, { status: 'CANCELLATION_REQUESTED' });
  }

  return {
    routes: [
      { kind: 'submit', methods: ['POST'], pattern: SUBMIT_PATH, handle: submit },
      { kind: 'status', methods: ['GET'], pattern: REQUEST_PATH('/status(/stream)?'), handle: status },
      { kind: 'cancel', methods: ['PUT'], pattern: REQUEST_PATH('/cancel'), handle: cancel },
      { kind: 'result', methods: ['GET'], pattern: REQUEST_PATH(''), handle: result },
    ],
    submits,
    imageRefusals,
    scriptNext(script) {
      scripts.push(checkScript(script));
    },
    setDefaultScript(script) {
      defaultScript = checkScript(script);
    },
    release(requestId) {
      const job = jobs.get(requestId);
      if (!job) throw new Error(`fake fal: release(${requestId}): no such request`);
      job.release();
    },
    releaseSubmits() {
      heldSubmits.open();
      heldSubmits = createGate();
    },
    statusOf(requestId) {
      return jobs.get(requestId)?.state;
    },
    jobOf(requestId) {
      const job = jobs.get(requestId);
      if (!job) throw new Error(`fake fal: no such request ${requestId}`);
      return job;
    },
    openStatusStreams() {
      return [...streams].map((open) => open.requestId);
    },
    close() {
      for (const open of streams) {
        clearTimeout(open.timer);
        open.res.destroy();
      }
      streams.clear();
    },
  };
}
