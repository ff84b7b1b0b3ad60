import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { App } from '../app.js';
import { JobHistory } from '../jobs/jobHistory.js';
import { SpendingReport } from '../quota/spendingReport.js';
import type { Clock } from '../util/clock.js';
import { dashboardPlugin, type DashboardDeps } from './dashboard/dashboardPlugin.js';

/**
 * The dashboard's dependencies, taken from a running bot; null when the
 * operator has not turned the dashboard on (no DISCORD_CLIENT_SECRET).
 */
export function dashboardDepsOf(app: App, logger: Logger, now: Clock = Date.now): DashboardDeps | null {
  const { dashboard } = app.config;
  if (!dashboard) return null;
  return {
    config: { ...app.config, dashboard },
    quota: app.quota,
    spending: new SpendingReport(app.store),
    jobs: new JobHistory(app.store.db),
    rest: app.client.rest,
    logger,
    now,
  };
}

export interface DashboardServer {
  readonly server: FastifyInstance;
  /** `http://host:port` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A Fastify server with only the dashboard on it. The bot's HTTP server
 * (health, metrics, webhooks) takes the same plugin: `server.register(dashboardPlugin(deps))`.
 */
export async function startDashboardServer(options: { deps: DashboardDeps; host: string; port: number }): Promise<DashboardServer> {
  const server = Fastify({
    // pino's Logger is Fastify's logger; only the two libraries' type declarations differ.
    // (Request lines quote the OAuth2 callback's URL: the logger scrubs its code and state.)
    loggerInstance: options.deps.logger.child({ part: 'http' }) as FastifyBaseLogger,
  });
  await server.register(dashboardPlugin(options.deps));
  const address = await server.listen({ host: options.host, port: options.port });
  return { server, url: address, close: () => server.close() };
}
