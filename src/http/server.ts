import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Readiness } from './readiness.js';

/** A Fastify plugin another part of the bot adds (the moderators' dashboard, the fal webhook route). */
export type HttpPlugin = (app: FastifyInstance) => Promise<void>;

export interface HttpServerOptions {
  config: { port: number; host: string };
  /** Served at /metrics; the process's own registry, never prom-client's global one. */
  registry: Registry;
  readiness: Readiness;
  logger: Logger;
  plugins?: readonly HttpPlugin[];
}

export interface HttpServer {
  readonly app: FastifyInstance;
  /** http://host:port once listening (the port is the real one when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The operator's side of the bot over HTTP: /healthz (the process is up),
 * /readyz (every readiness check passes, else 503 naming the failed ones) and
 * /metrics (Prometheus text), plus whatever the plugins add.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { registry, readiness, logger } = options;
  // Fastify's own logger would write a line per scrape and probe; errors still reach ours (below).
  const app = Fastify({ logger: false });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) logger.error({ err: error, url: request.url }, 'http request failed');
    // 4xx say what was wrong with the request; a 5xx says nothing of our insides.
    void reply.code(status).send({ error: status >= 500 ? 'internal error' : error.message });
  });

  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const report = await readiness.run();
    return reply.code(report.ready ? 200 : 503).send(report.ready ? { status: 'ready' } : { status: 'not ready', failed: report.failed });
  });
  app.get('/metrics', async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  for (const plugin of options.plugins ?? []) await app.register(plugin);

  await app.listen({ port: options.config.port, host: options.config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.config.port;
  const host = options.config.host === '0.0.0.0' ? '127.0.0.1' : options.config.host;
  logger.info({ port, host: options.config.host }, 'http server listening');
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
