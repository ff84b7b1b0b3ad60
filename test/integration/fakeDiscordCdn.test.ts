import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fakeDiscord.js';

/** The fake CDN's hostile behaviours, which the hostile-input tests rely on. */
describe('fake Discord CDN', () => {
  let discord: FakeDiscord;
  const bytes = Buffer.from('0123456789abcdef');

  beforeAll(async () => {
    discord = await startFakeDiscord();
  });
  afterAll(async () => {
    await discord.close();
  });

  it('serves the bytes with their length by default', async () => {
    const { url } = discord.hostAttachment({ filename: 'a.png', bytes });
    const response = await request(url);
    expect(response.headers['content-length']).toBe(String(bytes.length));
    expect(Buffer.from(await response.body.arrayBuffer())).toEqual(bytes);
  });

  it('claims whatever URL it is given, keeping the bytes on the CDN', () => {
    const attachment = discord.hostAttachment({ filename: 'a.png', bytes, url: 'http://10.0.0.1/a.png' });
    expect([attachment.url, attachment.proxy_url]).toEqual(['http://10.0.0.1/a.png', 'http://10.0.0.1/a.png']);
  });

  it('redirects when asked', async () => {
    const { url } = discord.hostAttachment({ filename: 'a.png', bytes, cdn: { redirectTo: 'http://10.0.0.1/latest/meta-data/' } });
    const response = await request(url);
    await response.body.dump();
    expect([response.statusCode, response.headers.location]).toEqual([302, 'http://10.0.0.1/latest/meta-data/']);
  });

  it('leaves out Content-Length when asked', async () => {
    const { url } = discord.hostAttachment({ filename: 'a.png', bytes, cdn: { omitContentLength: true } });
    const response = await request(url);
    expect(response.headers['content-length']).toBeUndefined();
    expect(Buffer.from(await response.body.arrayBuffer())).toEqual(bytes);
  });

  it('drips the bytes slowly', async () => {
    const { url } = discord.hostAttachment({ filename: 'a.png', bytes, cdn: { drip: { chunkBytes: 4, intervalMs: 40 } } });
    const startedAt = Date.now();
    const response = await request(url);
    expect(Buffer.from(await response.body.arrayBuffer())).toEqual(bytes);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(4 * 40 - 20);
  });

  it('sends an endless body until the client hangs up', async () => {
    const { url } = discord.hostAttachment({ filename: 'a.png', bytes, cdn: { endless: true } });
    const response = await request(url);
    let received = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > 1_000_000) break;
    }
    response.body.destroy();
    expect(received).toBeGreaterThan(1_000_000);
  });
});
