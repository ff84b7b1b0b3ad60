import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from './context.js';
import { CHART_NAMES, type ChartName } from './paths.js';
import { chartLimit } from './rateLimits.js';
import { guildIdOf } from './serverRoutes.js';
import { loadSpending, renderChart } from './spendingCharts.js';

/**
 * The charts as PNG pictures, drawn on request from this period's figures
 * and served by the bot itself. Moderators only, like the page they sit on.
 */
export function chartRoutes(scope: FastifyInstance, context: DashboardContext): void {
  scope.get<{ Params: { guildId: string; chart: string } }>(
    '/servers/:guildId/charts/:chart',
    { config: { rateLimit: chartLimit(context.rateLimits) } },
    async (request, reply) => {
      const session = context.requireSession(request);
      const chart = chartNamed(request.params.chart);
      if (chart === undefined) return reply.callNotFound();
      const server = await context.access.moderatorOf(session, guildIdOf(request));
      const png = await renderChart(chart, await loadSpending(context, server.guildId));
      // Private: the figures are the server's. A minute is fresh enough for spending.
      return reply.type('image/png').header('cache-control', 'private, max-age=60').send(png);
    },
  );
}

function chartNamed(file: string): ChartName | undefined {
  const name = file.endsWith('.png') ? file.slice(0, -'.png'.length) : undefined;
  return CHART_NAMES.find((chart) => chart === name);
}
