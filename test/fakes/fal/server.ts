// One loopback HTTP server for the whole fake fal: records every call and hands it to the route that claims it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson, type FakeFalCallKind, type FakeRoute, type RecordedFalCall } from './http.js';

export interface FakeFalServer {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** Every request, in arrival order. */
  readonly calls: RecordedFalCall[];
  callsTo(kind: FakeFalCallKind): RecordedFalCall[];
  /** Sets the routes; until then every call is a 404. Separate from the start because the parts need `baseUrl`. */
  serve(routes: readonly FakeRoute[]): void;
  close(): Promise<void>;
}

export async function startFakeFalServer(): Promise<FakeFalServer> {
  let routes: readonly FakeRoute[] = [];
  const calls: RecordedFalCall[] = [];
  const kinds = new WeakMap<RecordedFalCall, FakeFalCallKind>();

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const call: RecordedFalCall = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      json: parseJson(body, headers['content-type']),
      bodyBytes: body.length,
      status: 0,
      at: Date.now(),
    };
    calls.push(call);
    try {
      const found = routeFor(method, url.pathname);
      if (found) {
        kinds.set(call, found.route.kind);
        await found.route.handle({ req, res, call, body, match: found.match });
      } else {
        sendJson(res, 404, { detail: 'Not Found' });
      }
    } catch (error) {
      // A bug in the fake or a test: make it loud instead of hanging the client.
      if (!res.headersSent) sendJson(res, 500, { detail: `fake fal crashed: ${String(error)}` });
      else res.destroy();
    }
    call.status = res.statusCode;
  }

  function routeFor(method: string, path: string): { route: FakeRoute; match: RegExpExecArray } | undefined {
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (match && route.methods.includes(method)) return { route, match };
    }
    return undefined;
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    callsTo(kind) {
      return calls.filter((call) => kinds.get(call) === kind);
    },
    serve(next) {
      routes = next;
    },
    async close() {
      if (!server.listening) return; // idempotent: a test may close early and afterEach again
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function parseJson(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0 || !contentType?.includes('json')) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
