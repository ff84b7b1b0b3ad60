import { request } from 'undici';
import { DEFAULT_MAX_REDIRECTS } from './limits.js';

export type DownloadFailure =
  | 'host_not_allowed'
  | 'bad_url'
  | 'too_large'
  | 'timeout'
  | 'http_status'
  | 'too_many_redirects'
  | 'network';

/** Why a download failed, for the caller to word for its audience. The message is for logs. */
export class DownloadError extends Error {
  readonly reason: DownloadFailure;
  /** The HTTP status, for 'http_status'. */
  readonly status: number | undefined;

  constructor(reason: DownloadFailure, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = 'DownloadError';
    this.reason = reason;
    this.status = options?.status;
  }
}

export interface FetchCappedOptions {
  /** `host` (default port of the scheme only) or `host:port`, e.g. '127.0.0.1:4321'. */
  allowedHosts: readonly string[];
  maxBytes: number;
  /** Deadline for the whole download, redirects and body included. */
  timeoutMs: number;
  maxRedirects?: number;
}

const HOST_ENTRY = /^[a-z0-9.-]+(:\d{1,5})?$/;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Enough to let a redirect's keep-alive socket be reused; anything longer is dropped.
const DISCARD_LIMIT_BYTES = 64 * 1024;

/**
 * GET a member-supplied URL without trusting it: only allowlisted hosts, every
 * redirect re-checked, bytes capped while they arrive and one deadline for all
 * of it, so neither an SSRF target, an endless body nor a slow drip gets far
 * (PROTOCOLS.md §3: never fetch other hosts, never trust `size`).
 */
export async function fetchCapped(url: string, options: FetchCappedOptions): Promise<Buffer> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);

  try {
    let target = checkUrl(url, undefined, options.allowedHosts);
    for (let redirects = 0; ; redirects += 1) {
      const shown = describe(target);
      let response: Awaited<ReturnType<typeof request>>;
      try {
        response = await request(target, { method: 'GET', signal: controller.signal });
      } catch (error) {
        throw failure(error, timedOut, `request to ${shown} failed`);
      }
      const { statusCode, headers, body } = response;

      if (REDIRECT_STATUSES.has(statusCode)) {
        await discard(body);
        const location = headers.location;
        if (typeof location !== 'string') {
          throw new DownloadError('http_status', `${shown} answered ${statusCode} without a Location`, {
            status: statusCode,
          });
        }
        if (redirects >= maxRedirects) {
          throw new DownloadError('too_many_redirects', `${shown} redirected more than ${maxRedirects} times`);
        }
        target = checkUrl(location, target, options.allowedHosts);
        continue;
      }

      if (statusCode < 200 || statusCode > 299) {
        await discard(body);
        throw new DownloadError('http_status', `${shown} answered ${statusCode}`, { status: statusCode });
      }

      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        body.destroy();
        throw new DownloadError('too_large', `${shown} declares ${declared} bytes, over ${options.maxBytes}`);
      }

      // Content-Length may be absent or wrong (chunked, a lying server): count
      // the bytes that actually arrive and stop at the first one over the cap.
      const chunks: Buffer[] = [];
      let total = 0;
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          total += chunk.length;
          if (total > options.maxBytes) {
            body.destroy();
            throw new DownloadError('too_large', `${shown} sent more than ${options.maxBytes} bytes`);
          }
          chunks.push(chunk);
        }
      } catch (error) {
        if (error instanceof DownloadError) throw error;
        throw failure(error, timedOut, `reading ${shown} failed`);
      }
      return Buffer.concat(chunks, total);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Parse, resolve against the previous hop and allowlist-check one URL. */
function checkUrl(raw: string, base: URL | undefined, allowedHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch (error) {
    throw new DownloadError('bad_url', 'not a URL', { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DownloadError('bad_url', `scheme ${url.protocol} is not http(s)`);
  }
  // Credentials in a URL have no business in an attachment link and are a
  // classic way to make a host check and the connection disagree.
  if (url.username !== '' || url.password !== '') {
    throw new DownloadError('bad_url', 'URL carries credentials');
  }
  // A hop from https to http would expose the signed URL that follows.
  if (base?.protocol === 'https:' && url.protocol === 'http:') {
    throw new DownloadError('bad_url', `redirect from https to ${describe(url)} downgrades to http`);
  }
  if (!allowedHosts.some((entry) => hostMatches(entry, url))) {
    throw new DownloadError('host_not_allowed', `host ${url.host} is not allowed`);
  }
  return url;
}

/**
 * WHATWG URLs drop the scheme's default port from `host`, so normalising the
 * entry the same way makes 'cdn.example' match only :443 for https (and :80 for
 * http), and 'cdn.example:443' mean the same as 'cdn.example'.
 */
function hostMatches(entry: string, url: URL): boolean {
  const normalised = entry.trim().toLowerCase();
  // Anything but a bare host[:port] (a path, '@', a scheme) would let URL parsing reinterpret the entry.
  if (!HOST_ENTRY.test(normalised)) return false;
  try {
    return new URL(`${url.protocol}//${normalised}`).host === url.host;
  } catch {
    return false;
  }
}

/** Origin and path only: Discord's signed query parameters stay out of logs. */
function describe(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function failure(error: unknown, timedOut: boolean, message: string): DownloadError {
  return timedOut
    ? new DownloadError('timeout', `${message}: deadline passed`, { cause: error })
    : new DownloadError('network', message, { cause: error });
}

async function discard(body: { dump: (options: { limit: number }) => Promise<void>; destroy: () => void }) {
  try {
    await body.dump({ limit: DISCARD_LIMIT_BYTES });
  } catch {
    body.destroy();
  }
}

/** Whether `raw` is an http(s) URL on an allowed host: what a download would accept at first sight (no redirects followed). */
export function isAllowedUrl(raw: string, allowedHosts: readonly string[]): boolean {
  try {
    checkUrl(raw, undefined, allowedHosts);
    return true;
  } catch {
    return false;
  }
}
