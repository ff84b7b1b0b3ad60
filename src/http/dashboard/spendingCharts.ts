import { renderResolutionChart } from '../../media/charts/resolutionChart.js';
import { renderSpendChart } from '../../media/charts/spendChart.js';
import { renderTopMembersChart } from '../../media/charts/topMembersChart.js';
import { formatUsd } from '../../quota/money.js';
import type { QuotaOverview } from '../../quota/quotaTypes.js';
import type { DaySpending, ResolutionSpending } from '../../quota/spendingReport.js';
import type { DashboardContext } from './context.js';
import type { ChartDescriptions } from './pages/overviewPage.js';
import type { ChartName } from './paths.js';

/**
 * The numbers behind a server's three charts (this budget period), the
 * pictures drawn from them (PNG, by src/media/charts, on the bot's own
 * server), and the same numbers in words for the pictures' alt text.
 */
export interface SpendingFigures {
  overview: QuotaOverview;
  days: DaySpending[];
  members: Array<{ label: string; cents: number; clips: number }>;
  resolutions: ResolutionSpending[];
}

const TOP_MEMBERS = 8;

export async function loadSpending(context: DashboardContext, guildId: string, overview?: QuotaOverview): Promise<SpendingFigures> {
  const { quota, spending, now } = context.deps;
  const current = overview ?? (await quota.overview(guildId));
  const window = current.period;
  const [days, spenders, resolutions] = await Promise.all([
    spending.perDay(guildId, window, now()),
    spending.perMember(guildId, window, TOP_MEMBERS),
    spending.perResolution(guildId, window),
  ]);
  const names = await context.directory.displayNames(
    guildId,
    spenders.map((spender) => spender.userId),
  );
  return {
    overview: current,
    days,
    members: spenders.map((spender) => ({ label: names.get(spender.userId) ?? `member ${spender.userId}`, cents: spender.spentCents, clips: spender.clips })),
    resolutions,
  };
}

/** What one chart is drawn from: the figures (and titles) it shows, nothing else. */
export function chartInput(chart: ChartName, figures: SpendingFigures) {
  const { overview } = figures;
  switch (chart) {
    case 'spend-per-day':
      return { kind: chart, input: { days: figures.days, budgetCents: overview.rules.budgetCents, title: `Spending ${overview.period.label}` } } as const;
    case 'spend-per-member':
      return { kind: chart, input: { members: figures.members, title: `Top spenders ${overview.period.label}` } } as const;
    case 'spend-per-resolution':
      return { kind: chart, input: { resolutions: figures.resolutions, title: 'Spend per resolution' } } as const;
  }
}

export function renderChart(chart: ChartName, figures: SpendingFigures): Promise<Buffer> {
  const drawn = chartInput(chart, figures);
  switch (drawn.kind) {
    case 'spend-per-day':
      return renderSpendChart(drawn.input);
    case 'spend-per-member':
      return renderTopMembersChart(drawn.input);
    case 'spend-per-resolution':
      return renderResolutionChart(drawn.input);
  }
}

export function describeCharts(figures: SpendingFigures): ChartDescriptions {
  const { overview } = figures;
  const spentDays = figures.days.filter((day) => day.cents > 0);
  const busiest = spentDays.reduce<DaySpending | undefined>((best, day) => (best === undefined || day.cents > best.cents ? day : best), undefined);
  const budget = overview.rules.budgetCents > 0 ? ` of a ${formatUsd(overview.rules.budgetCents)} budget` : ' (the budget is $0)';
  return {
    'spend-per-day':
      `Spending per day ${overview.period.label}: ${formatUsd(overview.spentCents)}${budget}` +
      (busiest ? `; the most on ${busiest.day}, ${formatUsd(busiest.cents)}.` : '; nothing spent yet.'),
    'spend-per-member':
      figures.members.length === 0
        ? `Top spenders ${overview.period.label}: nobody has spent anything yet.`
        : `Top spenders ${overview.period.label}: ${figures.members.map((member) => `${member.label} ${formatUsd(member.cents)}`).join(', ')}.`,
    'spend-per-resolution':
      figures.resolutions.length === 0
        ? 'Spend per resolution: nothing spent yet.'
        : `Spend per resolution: ${figures.resolutions
            .map((row) => `${row.resolution} ${formatUsd(row.cents)} (${row.clips} ${row.clips === 1 ? 'clip' : 'clips'})`)
            .join(', ')}.`,
  };
}
