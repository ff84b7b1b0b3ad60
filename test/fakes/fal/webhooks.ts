// fal's webhooks as the fake sends them (PROTOCOLS.md §2): a POST to the submit's `fal_webhook` URL,
// signed with Ed25519 over `request id \n user id \n timestamp \n sha256hex(body)`, by a test key
// whose JWKS the fake serves at /.well-known/jwks.json (the bot's FAL_WEBHOOK_JWKS_URL).
// Besides honest webhooks it sends the ones a bot must refuse: forged, unsigned, stale, by an unknown key.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { sendJson, type FakeRoute } from './http.js';
import type { FakeJob } from './job.js';
import type { WebhookKind } from './scripts.js';

export type { WebhookKind } from './scripts.js';

export const JWKS_PATH = '/.well-known/jwks.json';
const USER_ID = 'fake-fal-user';
const STALE_BY_SECONDS = 6 * 60;

export interface SentWebhook {
  requestId: string;
  kind: WebhookKind | 'replay';
  url: string;
  /** The bot's answer (0 when it could not be reached). */
  status: number;
}

export interface FakeWebhooks {
  readonly routes: FakeRoute[];
  readonly sent: SentWebhook[];
  /** POSTs the job's webhook to the URL its submit named; resolves with the bot's status. */
  send(job: FakeJob, kind: WebhookKind): Promise<number>;
  /** Sends the last webhook of this request again, byte for byte (fal's retries look like this). */
  replay(requestId: string): Promise<number>;
}

interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function createFakeWebhooks(): FakeWebhooks {
  const signing = generateKeyPairSync('ed25519');
  const stranger = generateKeyPairSync('ed25519');
  const sent: SentWebhook[] = [];
  const last = new Map<string, Delivery>();

  function signature(key: KeyObject, requestId: string, timestamp: string, body: string): string {
    const message = `${requestId}\n${USER_ID}\n${timestamp}\n${createHash('sha256').update(body).digest('hex')}`;
    return sign(null, Buffer.from(message), key).toString('hex');
  }

  function delivery(job: FakeJob, kind: WebhookKind): Delivery {
    const url = job.webhookUrl;
    if (!url) throw new Error(`fake fal: request ${job.requestId} was submitted without fal_webhook`);
    const outcome = job.outcome;
    const body = JSON.stringify({
      request_id: job.requestId,
      gateway_request_id: job.requestId,
      status: outcome?.kind === 'error' ? 'ERROR' : 'OK',
      payload: outcome?.kind === 'video' ? { video: { url: job.videoUrl, content_type: 'video/mp4' } } : null,
      ...(outcome?.kind === 'error' ? { error: 'Request failed' } : {}),
    });
    const seconds = Math.floor(Date.now() / 1000) - (kind === 'stale' ? STALE_BY_SECONDS : 0);
    const timestamp = String(seconds);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-fal-webhook-request-id': job.requestId,
      'x-fal-webhook-user-id': USER_ID,
      'x-fal-webhook-timestamp': timestamp,
    };
    if (kind !== 'unsigned') {
      const key = kind === 'unknownKey' ? stranger.privateKey : signing.privateKey;
      // A forgery: signed properly, then the body is changed (a bigger "payload", as an attacker would).
      const signedBody = kind === 'badSignature' ? body.replace('"status":"OK"', '"status":"ERROR"') : body;
      headers['x-fal-webhook-signature'] = signature(key, job.requestId, timestamp, signedBody);
    }
    return { url, headers, body };
  }

  async function post(requestId: string, kind: SentWebhook['kind'], { url, headers, body }: Delivery): Promise<number> {
    let status = 0;
    try {
      status = (await fetch(url, { method: 'POST', headers, body })).status;
    } catch {
      status = 0;
    }
    sent.push({ requestId, kind, url, status });
    return status;
  }

  return {
    routes: [
      {
        kind: 'jwks',
        methods: ['GET'],
        pattern: new RegExp(`^${JWKS_PATH.replace(/\./g, '\\.')}$`),
        handle: ({ res }) => sendJson(res, 200, { keys: [{ ...signing.publicKey.export({ format: 'jwk' }), kid: 'fake-fal-1' }] }),
      },
    ],
    sent,
    send(job, kind) {
      const made = delivery(job, kind);
      last.set(job.requestId, made);
      return post(job.requestId, kind, made);
    },
    replay(requestId) {
      const made = last.get(requestId);
      if (!made) throw new Error(`fake fal: replay(${requestId}): no webhook was sent for it`);
      return post(requestId, 'replay', made);
    },
  };
}
