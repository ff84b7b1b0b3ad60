import type { FastifyInstance } from 'fastify';
import { JOB_OUTCOMES, type JobHistoryFilter, type JobOutcomeFilter } from '../../jobs/jobHistory.js';
import { sendPage, type DashboardContext } from './context.js';
import { auditPage } from './pages/auditPage.js';
import { jobsPage, type JobFilterView } from './pages/jobsPage.js';
import { GUILD_ID, guildIdOf, guildView, namesFor, type GuildParams } from './serverRequests.js';

/** Rows per page of the job history and the audit log. */
export const PAGE_SIZE = 25;
const DAY_MS = 86_400_000;

/** A server's job history (filtered, paged) and its audit log. Moderators only. */
export function historyRoutes(scope: FastifyInstance, context: DashboardContext): void {
  const { deps, access } = context;

  scope.get<GuildParams & { Querystring: Record<string, string | undefined> }>('/servers/:guildId/jobs', async (request, reply) => {
    const session = context.requireSession(request);
    const server = await access.moderatorOf(session, guildIdOf(request));
    const { filter, view, ignored } = jobFilterOf(request.query);
    const wanted = positiveInteger(request.query.page) ?? 1;
    let history = await deps.jobs.page(server.guildId, filter, (wanted - 1) * PAGE_SIZE, PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(history.total / PAGE_SIZE));
    const page = Math.min(wanted, pages);
    if (page !== wanted) history = await deps.jobs.page(server.guildId, filter, (page - 1) * PAGE_SIZE, PAGE_SIZE);
    const people = [...history.jobs.map((job) => job.userId), ...(filter.userId ? [filter.userId] : [])];
    const names = await namesFor(context, server.guildId, await guildView(context, server.guildId), people);
    return sendPage(
      reply,
      200,
      jobsPage({ viewer: context.viewer(reply, session), access: server, jobs: history.jobs, total: history.total, page, pages, filter: view, ignored, names }),
    );
  });

  scope.get<GuildParams & { Querystring: { page?: string } }>('/servers/:guildId/audit', async (request, reply) => {
    const session = context.requireSession(request);
    const server = await access.moderatorOf(session, guildIdOf(request));
    const total = await deps.quota.historyLength(server.guildId);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(positiveInteger(request.query.page) ?? 1, pages);
    const entries = await deps.quota.history(server.guildId, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    const people = entries.flatMap((entry) => (entry.setting === 'memberReset' ? [entry.actorId, String(entry.newValue)] : [entry.actorId]));
    const names = await namesFor(context, server.guildId, await guildView(context, server.guildId), people);
    return sendPage(reply, 200, auditPage({ viewer: context.viewer(reply, session), access: server, entries, total, page, pages, names }));
  });
}

function jobFilterOf(query: Record<string, string | undefined>): { filter: JobHistoryFilter; view: JobFilterView; ignored: string[] } {
  const filter: JobHistoryFilter = {};
  const view: JobFilterView = { outcome: '', member: '', from: '', to: '' };
  const ignored: string[] = [];
  const text = (name: string) => (typeof query[name] === 'string' ? query[name].trim() : '');
  const outcome = text('outcome');
  if (outcome !== '') {
    if ((JOB_OUTCOMES as readonly string[]).includes(outcome)) {
      filter.outcome = outcome as JobOutcomeFilter;
      view.outcome = outcome;
    } else ignored.push('state');
  }
  const member = text('member');
  if (member !== '') {
    if (GUILD_ID.test(member)) {
      filter.userId = member;
      view.member = member;
    } else ignored.push('member (a Discord id is 17 to 20 digits)');
  }
  const from = dayStart(text('from'));
  if (from !== undefined) {
    filter.fromMs = from;
    view.from = text('from');
  } else if (text('from') !== '') ignored.push('from');
  const to = dayStart(text('to'));
  if (to !== undefined) {
    filter.untilMs = to + DAY_MS;
    view.to = text('to');
  } else if (text('to') !== '') ignored.push('to');
  return { filter, view, ignored };
}

/** 'YYYY-MM-DD' → that UTC day's start, or undefined when it is not a real day. */
function dayStart(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

function positiveInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,6}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 ? value : undefined;
}
