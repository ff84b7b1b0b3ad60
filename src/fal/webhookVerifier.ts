import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * Checks that a webhook really comes from fal (PROTOCOLS.md §2): an Ed25519
 * signature over `request id \n user id \n timestamp \n sha256hex(body)`, by
 * one of the keys of fal's JWKS, with a timestamp at most 5 minutes off. Even
 * then a webhook is only a hint: the job is confirmed through the queue API.
 */
export interface WebhookVerifier {
  verify(headers: WebhookHeaders, rawBody: Buffer): Promise<WebhookVerdict>;
}

export type WebhookHeaders = Record<string, string | string[] | undefined>;

export type WebhookVerdict =
  | { ok: true; requestId: string }
  | { ok: false; reason: 'missing_headers' | 'stale' | 'bad_signature' | 'no_keys' };

export interface WebhookVerifierOptions {
  jwksUrl: string;
  /** Epoch milliseconds: the real time, since fal's timestamps are. */
  now?: () => number;
  fetch?: typeof fetch;
}

const MAX_SKEW_MS = 5 * 60_000;
/** fal says keys may be cached up to a day. */
const KEYS_FRESH_MS = 24 * 60 * 60_000;
/** A signature no cached key verifies may mean fal rotated its keys: look again, but not at every forgery. */
const REFETCH_AT_MOST_EVERY_MS = 60_000;
const JWKS_TIMEOUT_MS = 5_000;

const jwksSchema = z.object({
  keys: z.array(z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().min(1) }).loose()),
});

export function createWebhookVerifier(options: WebhookVerifierOptions): WebhookVerifier {
  const now = options.now ?? Date.now;
  const fetchJson = options.fetch ?? fetch;
  let keys: KeyObject[] = [];
  let fetchedAt = -Infinity;
  let fetching: Promise<void> | undefined;

  async function loadKeys(): Promise<void> {
    const response = await fetchJson(options.jwksUrl, { signal: AbortSignal.timeout(JWKS_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`fal's JWKS answered ${response.status}`);
    const jwks = jwksSchema.parse(await response.json());
    keys = jwks.keys.map(({ x }) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }));
    fetchedAt = now();
  }

  /** One fetch at a time, however many webhooks arrive together. */
  async function refresh(): Promise<void> {
    fetching ??= loadKeys().finally(() => {
      fetching = undefined;
    });
    await fetching;
  }

  return {
    async verify(headers, rawBody) {
      const requestId = header(headers, 'x-fal-webhook-request-id');
      const userId = header(headers, 'x-fal-webhook-user-id');
      const timestamp = header(headers, 'x-fal-webhook-timestamp');
      const signatureHex = header(headers, 'x-fal-webhook-signature');
      if (!requestId || !userId || !timestamp || !signatureHex || !/^\d+$/.test(timestamp) || !/^([0-9a-f]{2})+$/i.test(signatureHex)) {
        return { ok: false, reason: 'missing_headers' };
      }
      if (Math.abs(now() - Number(timestamp) * 1000) > MAX_SKEW_MS) return { ok: false, reason: 'stale' };

      const message = Buffer.from(`${requestId}\n${userId}\n${timestamp}\n${createHash('sha256').update(rawBody).digest('hex')}`);
      const signature = Buffer.from(signatureHex, 'hex');
      const signedByKnownKey = () => keys.some((key) => verify(null, message, key, signature));

      if (now() - fetchedAt > KEYS_FRESH_MS) await refresh();
      if (signedByKnownKey()) return { ok: true, requestId };
      if (now() - fetchedAt > REFETCH_AT_MOST_EVERY_MS) {
        await refresh();
        if (signedByKnownKey()) return { ok: true, requestId };
      }
      return { ok: false, reason: keys.length === 0 ? 'no_keys' : 'bad_signature' };
    },
  };
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
