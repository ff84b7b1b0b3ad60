import { afterEach, describe, expect, it } from 'vitest';
import { wan25 } from '../../../src/fal/models/wan25.js';
import { InputError } from '../../../src/errors.js';
import { downloadAttachment, type AttachmentKind } from '../../../src/media/attachment.js';
import { startLoopbackServer, type LoopbackServer } from '../../support/loopbackServer.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** One route per failure the member can meet. */
async function startCdn(): Promise<LoopbackServer> {
  server = await startLoopbackServer((request, response) => {
    switch (request.url) {
      case '/ok':
        response.end('bytes');
        return;
      case '/declared-too-big/image':
        response.writeHead(200, { 'content-length': String(wan25.image.maxBytes + 1) }).end();
        return;
      case '/declared-too-big/audio':
        response.writeHead(200, { 'content-length': String(wan25.audio.maxBytes + 1) }).end();
        return;
      case '/10.5mb':
        // Over the image cap, under the audio cap: the cap follows the kind.
        response.end(Buffer.alloc(wan25.image.maxBytes + 512 * 1024));
        return;
      case '/silent':
        return; // never answers
      case '/loop':
        response.writeHead(302, { location: '/loop' }).end();
        return;
      case '/elsewhere':
        response.writeHead(302, { location: 'http://example.invalid/x.png' }).end();
        return;
      default:
        response.writeHead(404).end();
    }
  });
  return server;
}

function maxBytesOf(kind: AttachmentKind): number {
  return kind === 'image' ? wan25.image.maxBytes : wan25.audio.maxBytes;
}

async function memberMessage(url: string, kind: AttachmentKind, allowedHosts: readonly string[], timeoutMs = 2_000) {
  const error: unknown = await downloadAttachment(url, kind, { allowedHosts, timeoutMs, maxBytes: maxBytesOf(kind) }).then(
    () => new Error('expected downloadAttachment to reject'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).memberMessage;
}

describe('downloadAttachment', () => {
  it('returns the bytes of an allowed attachment', async () => {
    const cdn = await startCdn();
    await expect(downloadAttachment(cdn.url('/ok'), 'image', { allowedHosts: [cdn.host], timeoutMs: 2_000, maxBytes: wan25.image.maxBytes })).resolves.toEqual(
      Buffer.from('bytes'),
    );
  });

  it.each([
    ['image', 'The image is larger than 10 MB.'],
    ['audio', 'The audio file is larger than 15 MB.'],
  ] as const)('tells the member the %s cap', async (kind, message) => {
    const cdn = await startCdn();
    expect(await memberMessage(cdn.url(`/declared-too-big/${kind}`), kind, [cdn.host])).toBe(message);
  });

  it('applies the cap of the kind asked for', async () => {
    const cdn = await startCdn();
    expect(await memberMessage(cdn.url('/10.5mb'), 'image', [cdn.host])).toBe('The image is larger than 10 MB.');
    const audio = await downloadAttachment(cdn.url('/10.5mb'), 'audio', { allowedHosts: [cdn.host], timeoutMs: 5_000, maxBytes: wan25.audio.maxBytes });
    expect(audio.length).toBe(wan25.image.maxBytes + 512 * 1024);
  });

  it('refuses hosts other than Discord’s', async () => {
    const cdn = await startCdn();
    expect(await memberMessage(cdn.url('/ok'), 'image', ['cdn.discordapp.com', 'media.discordapp.net'])).toBe(
      'I can only read files uploaded to Discord.',
    );
    expect(cdn.requests).toEqual([]);
  });

  it('refuses a redirect away from Discord the same way', async () => {
    const cdn = await startCdn();
    expect(await memberMessage(cdn.url('/elsewhere'), 'image', [cdn.host])).toBe('I can only read files uploaded to Discord.');
  });

  it('refuses a URL that is not http(s)', async () => {
    expect(await memberMessage('file:///etc/passwd', 'image', ['cdn.discordapp.com'])).toBe(
      'I can only read files uploaded to Discord.',
    );
  });

  it('says a slow download took too long', async () => {
    const cdn = await startCdn();
    expect(await memberMessage(cdn.url('/silent'), 'audio', [cdn.host], 200)).toBe(
      'Downloading your audio file took too long; please try again.',
    );
  });

  it.each([
    ['a 404 (an expired signed link)', '/gone'],
    ['a redirect loop', '/loop'],
  ])('asks for a fresh upload after %s', async (_label, path) => {
    const cdn = await startCdn();
    expect(await memberMessage(cdn.url(path), 'image', [cdn.host])).toBe(
      "I couldn't download your image from Discord; please upload it again.",
    );
  });

  it('keeps the technical reason for the log, not for the member', async () => {
    const cdn = await startCdn();
    const error = (await downloadAttachment(cdn.url('/gone?ex=abc&hm=signature'), 'image', {
      allowedHosts: [cdn.host],
      timeoutMs: 2_000,
      maxBytes: wan25.image.maxBytes,
    }).catch((thrown: unknown) => thrown)) as InputError;
    expect(error.message).toMatch(/http_status.*answered 404/);
    // Discord's signed query string stays out of logs.
    expect(error.message).not.toContain('signature');
    expect(error.memberMessage).not.toContain('404');
  });
});
