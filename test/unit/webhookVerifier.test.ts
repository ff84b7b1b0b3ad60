import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWebhookVerifier } from '../../src/fal/webhookVerifier.js';

const BODY = Buffer.from(JSON.stringify({ request_id: 'req-1', status: 'OK', payload: {} }));

function signedHeaders(key: KeyObject, atSeconds: number, body = BODY, requestId = 'req-1'): Record<string, string> {
  const timestamp = String(atSeconds);
  const message = `${requestId}\nuser-1\n${timestamp}\n${createHash('sha256').update(body).digest('hex')}`;
  return {
    'x-fal-webhook-request-id': requestId,
    'x-fal-webhook-user-id': 'user-1',
    'x-fal-webhook-timestamp': timestamp,
    'x-fal-webhook-signature': sign(null, Buffer.from(message), key).toString('hex'),
  };
}

/** A JWKS "server" in memory: counts fetches, serves whichever keys the test puts there. */
function jwks(...keys: KeyObject[]) {
  const served = { keys, fetches: 0 };
  const fetchJwks = (() => {
    served.fetches += 1;
    return Promise.resolve(Response.json({ keys: served.keys.map((key) => key.export({ format: 'jwk' })) }));
  }) as typeof fetch;
  return { served, fetchJwks };
}

describe('fal webhook verification', () => {
  const fal = generateKeyPairSync('ed25519');
  let clock = 1_800_000_000_000;
  const now = () => clock;
  const seconds = () => Math.floor(clock / 1000);

  it('accepts a webhook signed by a key of the JWKS, and caches the keys', async () => {
    const { served, fetchJwks } = jwks(fal.publicKey);
    const verifier = createWebhookVerifier({ jwksUrl: 'http://jwks.test/keys', now, fetch: fetchJwks });
    expect(await verifier.verify(signedHeaders(fal.privateKey, seconds()), BODY)).toEqual({ ok: true, requestId: 'req-1' });
    expect(await verifier.verify(signedHeaders(fal.privateKey, seconds()), BODY)).toEqual({ ok: true, requestId: 'req-1' });
    expect(served.fetches).toBe(1);
  });

  it('refuses a changed body, a missing signature and a timestamp more than 5 minutes off', async () => {
    const { fetchJwks } = jwks(fal.publicKey);
    const verifier = createWebhookVerifier({ jwksUrl: 'http://jwks.test/keys', now, fetch: fetchJwks });
    const tampered = Buffer.from(BODY.toString().replace('OK', 'ERROR'));
    expect(await verifier.verify(signedHeaders(fal.privateKey, seconds()), tampered)).toEqual({ ok: false, reason: 'bad_signature' });
    const { 'x-fal-webhook-signature': _dropped, ...unsigned } = signedHeaders(fal.privateKey, seconds());
    expect(await verifier.verify(unsigned, BODY)).toEqual({ ok: false, reason: 'missing_headers' });
    expect(await verifier.verify(signedHeaders(fal.privateKey, seconds() - 301), BODY)).toEqual({ ok: false, reason: 'stale' });
    expect(await verifier.verify(signedHeaders(fal.privateKey, seconds() + 301), BODY)).toEqual({ ok: false, reason: 'stale' });
    expect((await verifier.verify(signedHeaders(fal.privateKey, seconds() - 290), BODY)).ok).toBe(true);
  });

  it('looks again when fal rotates its keys, but not at every forgery', async () => {
    const rotated = generateKeyPairSync('ed25519');
    const stranger = generateKeyPairSync('ed25519');
    const { served, fetchJwks } = jwks(fal.publicKey);
    const verifier = createWebhookVerifier({ jwksUrl: 'http://jwks.test/keys', now, fetch: fetchJwks });
    expect((await verifier.verify(signedHeaders(fal.privateKey, seconds()), BODY)).ok).toBe(true);
    // Forgeries within the minute do not make it fetch again.
    expect(await verifier.verify(signedHeaders(stranger.privateKey, seconds()), BODY)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(served.fetches).toBe(1);
    // fal rotates; a minute later the new key's webhook makes it look, once.
    served.keys = [rotated.publicKey];
    clock += 61_000;
    expect((await verifier.verify(signedHeaders(rotated.privateKey, seconds()), BODY)).ok).toBe(true);
    expect(served.fetches).toBe(2);
  });
});
