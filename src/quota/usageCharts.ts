import { renderSpendChart, type SpendChartInput } from '../media/charts/spendChart.js';
import { renderTopMembersChart, type TopMembersChartInput } from '../media/charts/topMembersChart.js';
import type { Spender } from './quotaStore.js';
import type { DailySpend } from './spendByDay.js';

/**
 * The pictures `/quota show` and `/usage` attach: this period's spending day
 * by day against the budget, and the top members. The numbers come from the
 * ledger (QuotaAdministration); the drawing is src/media/charts. The inputs
 * are built by plain functions, so tests can check what a chart is given.
 */

/** A PNG and the file name its message refers to it by (`attachment://<fileName>`). */
export interface ChartImage {
  fileName: string;
  png: Buffer;
}

export const SPEND_CHART_FILE = 'spend.png';
export const TOP_MEMBERS_CHART_FILE = 'top-members.png';
const TOP_ROWS = 8;

/** Whose spending a chart shows: the server's, the reader's own, or a named member's. */
export type SpendOwner = { kind: 'server' } | { kind: 'you' } | { kind: 'member'; name: string };

/** "Spending this month", "Your spending this month", "Alice, this month"; the budget line is always the server's. */
export function spendChartInput(spend: DailySpend, owner: SpendOwner = { kind: 'server' }): SpendChartInput {
  const { label } = spend.period;
  const title = owner.kind === 'server' ? `Spending ${label}` : owner.kind === 'you' ? `Your spending ${label}` : `${owner.name}, ${label}`;
  return { days: spend.days, budgetCents: spend.budgetCents, title };
}

/** The biggest spenders by the names members know them by; `nameOf` may not know everyone. */
export function topMembersChartInput(spenders: readonly Spender[], nameOf: (userId: string) => string | undefined): TopMembersChartInput {
  return {
    title: 'Top members',
    maxRows: TOP_ROWS,
    members: spenders.map((spender) => ({ label: nameOf(spender.userId) ?? `member …${spender.userId.slice(-4)}`, cents: spender.spentCents })),
  };
}

export async function spendChart(spend: DailySpend, owner?: SpendOwner): Promise<ChartImage> {
  return { fileName: SPEND_CHART_FILE, png: await renderSpendChart(spendChartInput(spend, owner)) };
}

export async function topMembersChart(spenders: readonly Spender[], nameOf: (userId: string) => string | undefined): Promise<ChartImage> {
  return { fileName: TOP_MEMBERS_CHART_FILE, png: await renderTopMembersChart(topMembersChartInput(spenders, nameOf)) };
}
