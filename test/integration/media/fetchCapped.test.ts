import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DownloadError, fetchCapped, type FetchCappedOptions } from '../../../src/media/fetchCapped.js';
import { startLoopbackServer, type LoopbackServer } from '../../support/loopbackServer.js';

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(...args: Parameters<typeof startLoopbackServer>): Promise<LoopbackServer> {
  const server = await startLoopbackServer(...args);
  servers.push(server);
  return server;
}

/** Serves `routes[path]`; anything else is a 404. */
function routes(table: Record<string, (response: ServerResponse) => void>) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const route = table[request.url ?? ''];
    if (route === undefined) response.writeHead(404).end('not here');
    else route(response);
  };
}

const redirect = (location: string, status = 302) => (response: ServerResponse) =>
  response.writeHead(status, { location }).end();

async function failure(url: string, options: FetchCappedOptions): Promise<DownloadError> {
  const error: unknown = await fetchCapped(url, options).then(
    () => new Error('expected fetchCapped to reject'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

const PICTURE = Buffer.from('pretend these are picture bytes');

describe('fetchCapped', () => {
  it('returns the body from an allowed host:port', async () => {
    const server = await serve(routes({ '/a.png': (response) => response.end(PICTURE) }));
    const bytes = await fetchCapped(server.url('/a.png'), { allowedHosts: [server.host], maxBytes: 1_000, timeoutMs: 2_000 });
    expect(bytes).toEqual(PICTURE);
  });

  it('refuses a host that is not listed, without connecting to it', async () => {
    const server = await serve(routes({ '/a.png': (response) => response.end(PICTURE) }));
    const error = await failure(server.url('/a.png'), {
      allowedHosts: ['cdn.discordapp.com', 'media.discordapp.net'],
      maxBytes: 1_000,
      timeoutMs: 2_000,
    });
    expect(error.reason).toBe('host_not_allowed');
    expect(server.requests).toEqual([]);
  });

  it('treats a listed host without a port as the default port only', async () => {
    const server = await serve(routes({ '/a.png': (response) => response.end(PICTURE) }));
    const error = await failure(server.url('/a.png'), { allowedHosts: ['127.0.0.1'], maxBytes: 1_000, timeoutMs: 2_000 });
    expect(error.reason).toBe('host_not_allowed');
    expect(server.requests).toEqual([]);
  });

  it('matches hosts case-insensitively', async () => {
    const server = await serve(routes({ '/a.png': (response) => response.end(PICTURE) }));
    const upper = server.url('/a.png').replace('http://', 'HTTP://');
    const bytes = await fetchCapped(upper, { allowedHosts: [server.host.toUpperCase()], maxBytes: 1_000, timeoutMs: 2_000 });
    expect(bytes).toEqual(PICTURE);
  });

  it.each([
    ['not a URL', 'not a url at all'],
    ['a file: URL', 'file:///etc/passwd'],
    ['a data: URL', 'data:image/png;base64,AAAA'],
    ['a URL with credentials', 'http://user:secret@127.0.0.1:9/a.png'],
  ])('refuses %s as bad_url', async (_label, url) => {
    const error = await failure(url, { allowedHosts: ['127.0.0.1:9'], maxBytes: 1_000, timeoutMs: 2_000 });
    expect(error.reason).toBe('bad_url');
  });

  it('follows a relative redirect on the same allowed host', async () => {
    const server = await serve(routes({ '/old': redirect('/new'), '/new': (response) => response.end(PICTURE) }));
    const bytes = await fetchCapped(server.url('/old'), { allowedHosts: [server.host], maxBytes: 1_000, timeoutMs: 2_000 });
    expect(bytes).toEqual(PICTURE);
    expect(server.requests).toEqual(['/old', '/new']);
  });

  it('follows a redirect to another allowed host', async () => {
    const media = await serve(routes({ '/a.png': (response) => response.end(PICTURE) }));
    const cdn = await serve(routes({ '/a.png': redirect(media.url('/a.png'), 307) }));
    const bytes = await fetchCapped(cdn.url('/a.png'), {
      allowedHosts: [cdn.host, media.host],
      maxBytes: 1_000,
      timeoutMs: 2_000,
    });
    expect(bytes).toEqual(PICTURE);
  });

  it('refuses a redirect to a host that is not listed, without following it', async () => {
    const internal = await serve(routes({ '/secrets': (response) => response.end('metadata service') }));
    const cdn = await serve(routes({ '/a.png': redirect(internal.url('/secrets')) }));
    const error = await failure(cdn.url('/a.png'), { allowedHosts: [cdn.host], maxBytes: 1_000, timeoutMs: 2_000 });
    expect(error.reason).toBe('host_not_allowed');
    expect(internal.requests).toEqual([]);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const cdn = await serve(routes({ '/a.png': redirect('file:///etc/passwd') }));
    const error = await failure(cdn.url('/a.png'), { allowedHosts: [cdn.host], maxBytes: 1_000, timeoutMs: 2_000 });
    expect(error.reason).toBe('bad_url');
  });

  it('stops after maxRedirects hops', async () => {
    const server = await serve(
      routes({ '/1': redirect('/2'), '/2': redirect('/3'), '/3': redirect('/4'), '/4': (response) => response.end(PICTURE) }),
    );
    const options = { allowedHosts: [server.host], maxBytes: 1_000, timeoutMs: 2_000 };
    const error = await failure(server.url('/1'), options);
    expect(error.reason).toBe('too_many_redirects');
    expect(server.requests).toEqual(['/1', '/2', '/3']);
    await expect(fetchCapped(server.url('/1'), { ...options, maxRedirects: 3 })).resolves.toEqual(PICTURE);
  });

  it('reports a 404 as http_status with the status', async () => {
    const server = await serve(routes({}));
    const error = await failure(server.url('/gone.png'), { allowedHosts: [server.host], maxBytes: 1_000, timeoutMs: 2_000 });
    expect([error.reason, error.status]).toEqual(['http_status', 404]);
  });

  it('caps an endless body while it streams', async () => {
    let closed = false;
    const server = await serve((_request, response) => {
      response.on('close', () => (closed = true));
      response.writeHead(200, { 'content-type': 'image/png' }); // chunked, no length
      const chunk = Buffer.alloc(16 * 1024, 1);
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });
    const error = await failure(server.url('/endless'), { allowedHosts: [server.host], maxBytes: 100_000, timeoutMs: 5_000 });
    expect(error.reason).toBe('too_large');
    await expect.poll(() => closed).toBe(true);
  });

  it('rejects a declared Content-Length over the cap before reading the body', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': '2000' });
      response.write(Buffer.alloc(10)); // the rest never comes: only the header can end this quickly
    });
    const startedAt = performance.now();
    const error = await failure(server.url('/big'), { allowedHosts: [server.host], maxBytes: 1_000, timeoutMs: 3_000 });
    expect(error.reason).toBe('too_large');
    expect(performance.now() - startedAt).toBeLessThan(1_000);
  });

  it('accepts exactly maxBytes', async () => {
    const server = await serve((_request, response) => response.end(Buffer.alloc(1_000, 7)));
    const bytes = await fetchCapped(server.url('/x'), { allowedHosts: [server.host], maxBytes: 1_000, timeoutMs: 2_000 });
    expect(bytes.length).toBe(1_000);
  });

  it('fails on a slow drip once the whole-download deadline passes', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200);
      // Each byte arrives well within any per-read timeout; the total never ends.
      const timer = setInterval(() => response.write('x'), 20);
      response.on('close', () => clearInterval(timer));
    });
    const startedAt = performance.now();
    const error = await failure(server.url('/drip'), { allowedHosts: [server.host], maxBytes: 1_000_000, timeoutMs: 300 });
    expect(error.reason).toBe('timeout');
    expect(performance.now() - startedAt).toBeLessThan(1_500);
  });

  it('fails with timeout when the headers never come', async () => {
    const server = await serve(() => {
      // Never answer.
    });
    const error = await failure(server.url('/silent'), { allowedHosts: [server.host], maxBytes: 1_000, timeoutMs: 200 });
    expect(error.reason).toBe('timeout');
  });

  it('fails with network when nothing listens', async () => {
    const server = await serve(routes({}));
    const { host } = server;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const error = await failure(`http://${host}/a.png`, { allowedHosts: [host], maxBytes: 1_000, timeoutMs: 2_000 });
    expect(error.reason).toBe('network');
  });

  // node:http will not send a Content-Length that disagrees with the body, so these speak HTTP by hand.
  describe('a server that lies about Content-Length', () => {
    const rawServers: { server: Server; sockets: Set<Socket> }[] = [];
    afterEach(async () => {
      for (const { server, sockets } of rawServers.splice(0)) {
        sockets.forEach((socket) => socket.destroy());
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    async function rawServer(reply: (socket: Socket) => void): Promise<string> {
      const sockets = new Set<Socket>();
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.once('data', () => reply(socket));
      });
      rawServers.push({ server, sockets });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    it('never returns more than the declared length, even if more bytes follow', async () => {
      const host = await rawServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n');
        socket.end(Buffer.alloc(50_000, 0x61));
      });
      const bytes = await fetchCapped(`http://${host}/x`, { allowedHosts: [host], maxBytes: 1_000, timeoutMs: 2_000 });
      expect(bytes.length).toBe(10);
    });

    it('fails instead of returning a short body when the connection ends early', async () => {
      const host = await rawServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n');
        socket.end(Buffer.alloc(100, 0x61));
      });
      const error = await failure(`http://${host}/x`, { allowedHosts: [host], maxBytes: 1_000, timeoutMs: 2_000 });
      expect(error.reason).toBe('network');
    });
  });
});
