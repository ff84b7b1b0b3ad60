import { ApiError, createFalClient, type FalClient } from '@fal-ai/client';
import type { Logger } from 'pino';
import { fromStatus, mapFalError } from './falErrors.js';
import { rewriteFalUrl } from './falUrls.js';
import { queueStatusSchema, type QueueStatus } from './queueStatus.js';
import { UpstreamError } from '../errors.js';
import { localized } from '../i18n/text.js';

/** The one place that talks to fal. Everything it throws is an UpstreamError. */
export interface FalGateway {
  upload(bytes: Buffer, contentType: string, fileName: string): Promise<string>;
  /**
   * Submits once. Never retried here: a retried POST can create a second paid job
   * (submitWithRetry in src/jobs retries only answers that say nothing was queued).
   */
  submit(endpointId: string, input: Record<string, unknown>): Promise<{ requestId: string }>;
  status(endpointId: string, requestId: string): Promise<QueueStatus>;
  /**
   * Follows fal's status stream (PROTOCOLS.md §2, Server-Sent Events): `onStatus`
   * hears each status as fal sends it. Resolves when the stream ends (after
   * COMPLETED, or when fal closes it) or `signal` aborts; rejects with an
   * UpstreamError when it cannot be opened or breaks off. One fal call however long it stays open.
   */
  watchStatus(endpointId: string, requestId: string, onStatus: (status: QueueStatus) => void, signal: AbortSignal): Promise<void>;
  /** The model's output as fal sent it; the model's own schema reads it (src/fal/models). */
  result(endpointId: string, requestId: string): Promise<unknown>;
  cancel(endpointId: string, requestId: string): Promise<void>;
  /** Where to actually download a fal CDN URL from (the base-URL override applies). */
  downloadUrlFor(url: string): string;
}

export interface FalGatewayOptions {
  key: string;
  /** Every model endpoint the bot submits to: a POST to one of these is never retried. */
  endpointIds: readonly string[];
  baseUrl: string | undefined;
  logger: Logger;
  /** When set, every submit asks fal to call this URL when the job ends (`fal_webhook`, PROTOCOLS.md §2). */
  webhookUrl?: string | undefined;
  /** Told of every call's outcome (metrics, at the composition root); src/fal knows nothing of them. */
  observe?: (call: FalCallReport) => void;
}

export type FalCallKind = 'submit' | 'status' | 'stream' | 'result' | 'cancel' | 'upload';

/** One call and how it ended: 'ok', or a bounded word for the failure. */
export interface FalCallReport {
  kind: FalCallKind;
  outcome: 'ok' | 'rate_limited' | 'unavailable' | 'network' | 'outcome_unknown' | 'rejected';
}

// Statuses on which @fal-ai/client would retry the submit POST by itself.
const RETRIED_BY_CLIENT = new Set([408, 409, 429, 500, 502, 503, 504]);
// Of those, the ones where fal may have queued (and will bill) the job anyway.
const OUTCOME_UNKNOWN = new Set([502, 504]);

/**
 * Thrown by our fetch wrapper instead of letting the client retry a submit.
 * Deliberately carries no `cause` and is not a TypeError: the client walks the
 * cause chain and retries network-shaped errors (PROTOCOLS.md §2).
 */
class SubmitNotRetried extends Error {
  constructor(
    readonly status: number | undefined,
    readonly body: unknown,
    readonly outcomeUnknown: boolean,
    readonly networkError?: unknown,
    readonly retryAfterMs?: number,
  ) {
    super(status ? `fal answered the submit with ${status}` : 'the submit failed on the network');
    this.name = 'SubmitNotRetried';
  }
}

function isSubmitRequest(url: string, method: string | undefined, endpointIds: readonly string[]): boolean {
  if ((method ?? 'GET').toUpperCase() !== 'POST') return false;
  const path = new URL(url).pathname.replace(/\/$/, '');
  return endpointIds.some((endpointId) => path.endsWith(`/${endpointId}`));
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function createFalGateway(options: FalGatewayOptions): FalGateway {
  const { baseUrl, logger } = options;

  // fal's X-Fal-Retryable header on a failed status or result read, by
  // "<request id>/<status|result>": the client's ApiError drops response headers.
  const retryableHints = new Map<string, boolean>();
  const hintKey = (url: string) => {
    const match = /\/requests\/([^/?]+)(\/status)?(?:[/?]|$)/.exec(url);
    return match ? `${match[1]}/${match[2] ? 'status' : 'result'}` : undefined;
  };
  const takeHint = (requestId: string, kind: 'status' | 'result') => {
    const hint = retryableHints.get(`${requestId}/${kind}`);
    retryableHints.delete(`${requestId}/${kind}`);
    return hint;
  };

  const guardedFetch: typeof fetch = async (input, init) => {
    const url = rewriteFalUrl(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, baseUrl);
    if (!isSubmitRequest(url, init?.method, options.endpointIds)) {
      const response = await fetch(url, init);
      const hint = response.headers.get('x-fal-retryable');
      const key = hintKey(url);
      if (!response.ok && hint !== null && key) retryableHints.set(key, hint.trim().toLowerCase() === 'true');
      return response;
    }
    try {
      const response = await fetch(url, init);
      if (RETRIED_BY_CLIENT.has(response.status)) {
        throw new SubmitNotRetried(
          response.status,
          await readBody(response),
          OUTCOME_UNKNOWN.has(response.status),
          undefined,
          retryAfterMsOf(response.headers.get('retry-after')),
        );
      }
      // Read the whole answer here: a body that breaks off after the headers would
      // otherwise fail inside the client's retry loop and be POSTed again.
      const body = await response.arrayBuffer();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      if (error instanceof SubmitNotRetried) throw error;
      // The connection may have dropped after fal queued the job: we cannot know.
      throw new SubmitNotRetried(undefined, undefined, true, error);
    }
  };

  const client: FalClient = createFalClient({
    credentials: options.key,
    fetch: guardedFetch,
    requestMiddleware: (request) => Promise.resolve({ ...request, url: rewriteFalUrl(request.url, baseUrl) }),
  });

  async function call<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      const mapped = error instanceof SubmitNotRetried ? fromSubmitFailure(error) : mapFalError(error);
      logger.debug({ err: error, code: mapped.code }, `fal ${what} failed`);
      throw mapped;
    }
  }

  /** Reports the outcome of one public call (however many tries the client made inside it). */
  async function observed<T>(kind: FalCallKind, operation: Promise<T>): Promise<T> {
    try {
      const value = await operation;
      options.observe?.({ kind, outcome: 'ok' });
      return value;
    } catch (error) {
      options.observe?.({ kind, outcome: outcomeOf(error) });
      throw error;
    }
  }

  return {
    upload: (bytes, contentType, fileName) =>
      observed('upload', call('upload', async () => {
        // A Node Buffer in the input is not uploaded automatically: wrap it in a File.
        const file = new File([new Uint8Array(bytes)], fileName, { type: contentType });
        try {
          return await client.storage.upload(file);
        } catch (error) {
          // A broken key is worth its own sentence; any other storage failure reads the same to a member.
          if (error instanceof ApiError && (error.status === 401 || error.status === 403)) throw error;
          throw new UpstreamError(localized('fal.uploadFailed'), 'storage_upload', {
            cause: error,
            retryable: true,
          });
        }
      })),

    submit: (endpointId, input) =>
      observed('submit', call('submit', async () => {
        const webhook = options.webhookUrl ? { webhookUrl: options.webhookUrl } : {};
        const { request_id: requestId } = await client.queue.submit(endpointId, { input, ...webhook });
        return { requestId };
      })),

    status: (endpointId, requestId) => observed('status', readStatus(endpointId, requestId)),

    watchStatus: (endpointId, requestId, onStatus, signal) =>
      observed('stream', call('status stream', async () => {
        if (signal.aborted) return;
        const stream = await client.queue.streamStatus(endpointId, { requestId, logs: true });
        // After an error the stream counts as closed and abort() does nothing: events still
        // arriving on its connection must not reach a caller that has moved on.
        let listening = true;
        // Listeners, not the stream's async iterator: that one wakes every 16 ms per
        // open stream, which a thousand waiting jobs would turn into constant CPU.
        stream.on('data', (data: unknown) => {
          if (!listening) return;
          const status = queueStatusSchema.safeParse(data);
          if (status.success) onStatus(status.data);
          else logger.debug({ requestId }, 'ignored a status stream event that is not a status');
        });
        const stop = () => stream.abort();
        signal.addEventListener('abort', stop, { once: true });
        try {
          await stream.done();
        } catch (error) {
          throw statusReadError(error, takeHint(requestId, 'status'));
        } finally {
          listening = false;
          signal.removeEventListener('abort', stop);
          retryableHints.delete(`${requestId}/status`);
        }
      })),

    result: (endpointId, requestId) =>
      observed('result', call('result', async () => {
        try {
          const { data } = await client.queue.result(endpointId, { requestId });
          return data as unknown;
        } catch (error) {
          const mapped = mapFalError(error);
          const hint = takeHint(requestId, 'result');
          throw hint === undefined || hint === mapped.retryable
            ? mapped
            : new UpstreamError(mapped.memberText, mapped.code, { cause: mapped.cause, logMessage: mapped.message, retryable: hint });
        } finally {
          retryableHints.delete(`${requestId}/result`);
        }
      })),

    cancel: (endpointId, requestId) => observed('cancel', call('cancel', () => client.queue.cancel(endpointId, { requestId }))),

    downloadUrlFor: (url) => rewriteFalUrl(url, baseUrl),
  };

  async function readStatus(endpointId: string, requestId: string): Promise<QueueStatus> {
    try {
      return await call('status', async () =>
        queueStatusSchema.parse(await client.queue.status(endpointId, { requestId, logs: true })),
      );
    } catch (error) {
      throw statusReadError(error, takeHint(requestId, 'status'));
    } finally {
      // A read that succeeded after the client's own retries leaves no stale hint behind.
      retryableHints.delete(`${requestId}/status`);
    }
  }
}

/**
 * A failed status read (or a status stream that broke off) costs nothing:
 * worth trying again later unless fal says it is pointless (X-Fal-Retryable: false).
 */
function statusReadError(error: unknown, retryableHint: boolean | undefined): UpstreamError {
  const mapped = error instanceof UpstreamError ? error : mapFalError(error);
  const transient = mapped.code === 'network' || mapped.retryable || /^(internal_server_error|unavailable|runner_)/.test(mapped.code);
  const retryable = retryableHint ?? transient;
  if (retryable === mapped.retryable) return mapped;
  return new UpstreamError(mapped.memberText, mapped.code, { cause: mapped.cause, logMessage: mapped.message, retryable });
}

function fromSubmitFailure(failure: SubmitNotRetried): UpstreamError {
  if (failure.outcomeUnknown) {
    return new UpstreamError(
      localized('fal.submitUnknown'),
      'submit_outcome_unknown',
      { cause: failure.networkError ?? failure, logMessage: failure.message, saysNotCharged: true },
    );
  }
  const body = failure.body;
  const errorType = typeof body === 'object' && body !== null && 'error_type' in body ? String((body as { error_type: unknown }).error_type) : undefined;
  const mapped = fromStatus(failure.status ?? 0, errorType, failure);
  if (failure.retryAfterMs === undefined) return mapped;
  return new UpstreamError(mapped.memberText, mapped.code, {
    cause: failure,
    logMessage: mapped.message,
    retryable: mapped.retryable,
    retryAfterMs: failure.retryAfterMs,
  });
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMsOf(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function outcomeOf(error: unknown): FalCallReport['outcome'] {
  if (!(error instanceof UpstreamError)) return 'rejected';
  if (error.code === 'rate_limited') return 'rate_limited';
  if (error.code === 'submit_outcome_unknown') return 'outcome_unknown';
  if (error.code === 'network') return 'network';
  return error.retryable ? 'unavailable' : 'rejected';
}
