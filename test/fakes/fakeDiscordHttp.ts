// HTTP plumbing for the fake Discord: body parsing (JSON and the multipart
// form discord.js uses for uploads) and the per-token rate-limit bucket.
import type { IncomingMessage } from 'node:http';

export interface UploadedFile {
  name: string;
  contentType: string | undefined;
  bytes: Buffer;
}

export interface ParsedBody {
  body: unknown;
  files: UploadedFile[];
  /** `files[N]` index → file, so `attachments: [{ id: "N" }]` can find its upload. */
  filesByIndex: Map<string, UploadedFile>;
}

export async function readRequestBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Uploads arrive as multipart/form-data: `payload_json` is the JSON body and
 * `files[N]` are the files (PROTOCOLS.md §4). Node 20's fetch Response parses
 * the form, so no multipart dependency is needed.
 */
export async function parseRequestBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  const parsed: ParsedBody = { body: undefined, files: [], filesByIndex: new Map() };
  if (raw.length === 0) return parsed;
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    for (const [field, value] of form.entries()) {
      if (field === 'payload_json' && typeof value === 'string') {
        parsed.body = JSON.parse(value);
      } else if (typeof value !== 'string') {
        const file: UploadedFile = {
          name: value.name,
          contentType: value.type === '' ? undefined : value.type,
          bytes: Buffer.from(await value.arrayBuffer()),
        };
        parsed.files.push(file);
        const index = /^files\[(\d+)\]$/.exec(field)?.[1];
        if (index !== undefined) parsed.filesByIndex.set(index, file);
      }
    }
    return parsed;
  }
  const text = raw.toString('utf8');
  parsed.body = contentType?.includes('json') ? JSON.parse(text) : text;
  return parsed;
}

export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * Discord limits edits and follow-ups per interaction token to about 5 per 5 s
 * (PROTOCOLS.md §3). Sending the bucket in X-RateLimit-* headers makes
 * discord.js queue its own requests, so a bot that goes through discord.js is
 * never 429'd; one that bypasses it is, exactly as in production.
 */
export class TokenBucket {
  static readonly LIMIT = 5;
  static readonly WINDOW_MS = 5_000;
  /**
   * discord.js waits until the reset we announce, but timers may fire a
   * millisecond or two early; enforcing to the exact millisecond would turn
   * that jitter into spurious 429s.
   */
  private static readonly GRACE_MS = 25;
  private windowEndsAt = 0;
  private used = 0;

  /** Counts one request; returns the headers to send and whether it is over the limit. */
  take(now: number): { limited: boolean; headers: Record<string, string> } {
    if (now >= this.windowEndsAt - TokenBucket.GRACE_MS) {
      this.windowEndsAt = now + TokenBucket.WINDOW_MS;
      this.used = 0;
    }
    const limited = this.used >= TokenBucket.LIMIT;
    if (!limited) this.used += 1;
    return { limited, headers: this.headers(now) };
  }

  headers(now: number): Record<string, string> {
    const resetAfterSeconds = Math.max(0, this.windowEndsAt - now) / 1000;
    // One hash for every token, as on Discord: discord.js keys its queue by hash + token.
    return rateLimitHeaders('webhooktoken', TokenBucket.LIMIT, TokenBucket.LIMIT - this.used, resetAfterSeconds, now);
  }
}

export function rateLimitHeaders(
  bucket: string,
  limit: number,
  remaining: number,
  resetAfterSeconds: number,
  now: number,
): Record<string, string> {
  return {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': ((now + resetAfterSeconds * 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': resetAfterSeconds.toFixed(3),
    'x-ratelimit-bucket': bucket,
  };
}
