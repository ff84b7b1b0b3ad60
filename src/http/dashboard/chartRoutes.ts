import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { TtlCache } from '../../util/ttlCache.js';
import type { DashboardContext } from './context.js';
import { CHART_NAMES, type ChartName } from './paths.js';
import { chartLimit } from './rateLimits.js';
import { guildIdOf } from './serverRequests.js';
import { chartInput, loadSpending, renderChart } from './spendingCharts.js';

/** Drawing a chart costs tens of milliseconds of CPU; the same figures give the same picture. */
const PICTURE_CACHE = { ttlMs: 10 * 60_000, maxEntries: 300 };

/**
 * The charts as PNG pictures, drawn on request from this period's figures
 * and served by the bot itself. Moderators only, like the page they sit on.
 */
export function chartRoutes(scope: FastifyInstance, context: DashboardContext): void {
  const pictures = new TtlCache<Buffer>({ ...PICTURE_CACHE, now: context.deps.now });
  scope.get<{ Params: { guildId: string; chart: string } }>(
    '/servers/:guildId/charts/:chart',
    { config: { rateLimit: chartLimit(context.rateLimits) } },
    async (request, reply) => {
      const session = context.requireSession(request);
      const chart = chartNamed(request.params.chart);
      if (chart === undefined) return reply.callNotFound();
      const server = await context.access.moderatorOf(session, guildIdOf(request));
      const figures = await loadSpending(context, server.guildId);
      const key = createHash('sha256').update(JSON.stringify([chart, chartInput(chart, figures)])).digest('hex');
      const png = await pictures.get(key, () => renderChart(chart, figures));
      // Private: the figures are the server's. A minute is fresh enough for spending.
      return reply.type('image/png').header('cache-control', 'private, max-age=60').send(png);
    },
  );
}

function chartNamed(file: string): ChartName | undefined {
  const name = file.endsWith('.png') ? file.slice(0, -'.png'.length) : undefined;
  return CHART_NAMES.find((chart) => chart === name);
}
