import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { formatSetting, settingName } from '../../discord/quotaFormat.js';
import { announceQuotaChange } from '../../discord/quotaChangeAnnouncement.js';
import { InputError } from '../../errors.js';
import { JOB_OUTCOMES, type JobHistoryFilter, type JobOutcomeFilter } from '../../jobs/jobHistory.js';
import { clipCostCents } from '../../quota/cost.js';
import type { SettingChange } from '../../quota/quotaTypes.js';
import type { QuotaSetting } from '../../quota/rules.js';
import { AccessDenied, type ServerAccess } from './access.js';
import { sendPage, type DashboardContext } from './context.js';
import { plainDiscordText, type DiscordNames } from './discordText.js';
import { auditPage } from './pages/auditPage.js';
import { jobsPage, type JobFilterView } from './pages/jobsPage.js';
import { overviewPage } from './pages/overviewPage.js';
import { usagePage } from './pages/usagePage.js';
import { changeLimit } from './rateLimits.js';
import { patchFromForm, settingsForm, type GuildDirectoryView, type SubmittedForm } from './settingsForm.js';
import { describeCharts, loadSpending } from './spendingCharts.js';
import { paths } from './paths.js';
import type { Session } from './sessions.js';

/** Rows per page of the job history and the audit log. */
export const PAGE_SIZE = 25;
const RECENT_JOBS = 10;
const DAY_MS = 86_400_000;

type GuildParams = { Params: { guildId: string } };

/** A Discord id in the path; anything else is not a server (404, before any lookup). */
export const GUILD_ID = /^\d{17,20}$/;

/**
 * One server's pages: budget and rules (with the one settings form), the
 * job history, the audit log, and a member's usage. Every handler asks
 * AccessControl first, with what Discord says now.
 */
export function serverRoutes(scope: FastifyInstance, context: DashboardContext): void {
  const { deps, access, directory } = context;

  scope.get<GuildParams>('/servers/:guildId', async (request, reply) => {
    const session = context.requireSession(request);
    const server = await access.moderatorOf(session, guildIdOf(request));
    const [overview, guild] = await Promise.all([deps.quota.overview(server.guildId), guildView(context, server.guildId)]);
    const figures = await loadSpending(context, server.guildId, overview);
    return sendPage(
      reply,
      200,
      overviewPage({
        viewer: context.viewer(reply, session),
        access: server,
        overview,
        form: settingsForm(overview, guild),
        charts: describeCharts(figures),
        flash: context.takeFlash(session),
      }),
    );
  });

  const requireSession: preHandlerHookHandler = async (request) => {
    context.requireSession(request);
  };
  scope.post<GuildParams & { Body: SubmittedForm }>(
    '/servers/:guildId/settings',
    {
      config: { rateLimit: changeLimit(context.rateLimits) },
      // The session first (an ended one is a 401, not a CSRF failure), then the token bound to it.
      preHandler: [requireSession, (request, reply, done) => scope.csrfProtection(request, reply, done)],
    },
    async (request, reply) => {
      const session = context.requireSession(request);
      const server = await access.moderatorOf(session, guildIdOf(request));
      const form = formOf(request.body);
      const [overview, guild] = await Promise.all([deps.quota.overview(server.guildId), guildView(context, server.guildId)]);
      const caps = { maxGuildBudgetCents: deps.config.quota.maxGuildBudgetCents };
      const { patch, errors } = patchFromForm(form, overview, guild, caps);
      if (errors.size > 0) return correctForm(context, reply, server, form, errors, session);

      // Checked again inside, by the same rules: an InputError here becomes a 400 page.
      const changes = await deps.quota.updateSettings(server.guildId, session.userId, patch, { via: 'dashboard' });
      const names = await namesFor(context, server.guildId, guild, []);
      session.flash = changes.length === 0 ? 'Nothing changed: those were already the settings.' : `Saved: ${describeChanges(changes, names)}`;
      if (changes.length > 0) await announce(context, server.guildId, session.userId, changes);
      return reply.redirect(paths.server(server.guildId), 303);
    },
  );

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

  scope.get<GuildParams & { Querystring: { member?: string } }>('/servers/:guildId/usage', async (request, reply) => {
    const session = context.requireSession(request);
    const server = await access.server(session, guildIdOf(request));
    const asked = request.query.member;
    const memberId = asked === undefined || asked === '' ? session.userId : asked;
    const self = memberId === session.userId;
    // Members see their own use only; another member's is for moderators (as /usage member:).
    if (!self && (server.standing !== 'moderator' || !GUILD_ID.test(memberId))) throw new AccessDenied(`not allowed to see ${memberId}`);
    const member = await directory.member(server.guildId, memberId);
    const [usage, recent, guild] = await Promise.all([
      deps.quota.memberUsage(server.guildId, memberId, member?.roleIds ?? []),
      deps.jobs.page(server.guildId, { userId: memberId }, 0, RECENT_JOBS),
      guildView(context, server.guildId),
    ]);
    const names = await namesFor(context, server.guildId, guild, [memberId]);
    const { defaults, priceCentsPerSecond } = deps.config;
    return sendPage(
      reply,
      200,
      usagePage({
        viewer: context.viewer(reply, session),
        access: server,
        usage,
        recentJobs: recent.jobs,
        self,
        memberName: self ? session.userName : (names.user(memberId) ?? `member ${memberId}`),
        clipCents: clipCostCents(priceCentsPerSecond, defaults.resolution, defaults.duration),
        names,
      }),
    );
  });
}

export function guildIdOf(request: FastifyRequest<GuildParams>): string {
  const { guildId } = request.params;
  if (!GUILD_ID.test(guildId)) throw Object.assign(new Error('not a server id'), { statusCode: 404 });
  return guildId;
}

async function guildView(context: DashboardContext, guildId: string): Promise<GuildDirectoryView> {
  const [channels, roles] = await Promise.all([context.directory.channels(guildId), context.directory.roles(guildId)]);
  return { channels, roles };
}

/** Names for the ids a page shows: channels and roles of the server, members asked for (briefly cached). */
async function namesFor(context: DashboardContext, guildId: string, guild: GuildDirectoryView, userIds: readonly string[]): Promise<DiscordNames> {
  const members = await context.directory.displayNames(guildId, userIds);
  return {
    channel: (id) => guild.channels.find((channel) => channel.id === id)?.name,
    role: (id) => guild.roles.find((role) => role.id === id)?.name.replace(/^@/, ''),
    user: (id) => members.get(id),
  };
}

async function correctForm(
  context: DashboardContext,
  reply: FastifyReply,
  server: ServerAccess,
  form: SubmittedForm,
  errors: ReadonlyMap<QuotaSetting, string>,
  session: Session,
): Promise<FastifyReply> {
  const [overview, guild] = await Promise.all([context.deps.quota.overview(server.guildId), guildView(context, server.guildId)]);
  const figures = await loadSpending(context, server.guildId, overview);
  return sendPage(
    reply,
    400,
    overviewPage({
      viewer: context.viewer(reply, session),
      access: server,
      overview,
      form: settingsForm(overview, guild, { form, errors }),
      charts: describeCharts(figures),
      flash: null,
      formErrors: true,
    }),
  );
}

/** "budget: $10.00 → $7.50 · budget period: default → week." */
function describeChanges(changes: readonly SettingChange[], names: DiscordNames): string {
  const lines = changes.map(
    (change) =>
      `${settingName(change.setting)}: ${plainDiscordText(formatSetting(change.setting, change.oldValue), names)} → ${plainDiscordText(formatSetting(change.setting, change.newValue), names)}`,
  );
  const text = `${lines.join(' · ')}.`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Told to the mod-log like every quota change; the change is saved whatever Discord answers. */
async function announce(context: DashboardContext, guildId: string, actorId: string, changes: SettingChange[]): Promise<void> {
  const overview = await context.deps.quota.overview(guildId);
  const channelId = overview.rules.modLogChannelId;
  if (channelId === null) return;
  try {
    await announceQuotaChange(context.deps.rest, { channelId, actorId, changes, overview, via: 'dashboard' });
  } catch (failure) {
    context.logger.warn({ err: failure, guildId, channelId }, 'could not announce a dashboard change in the mod-log');
  }
}

function formOf(body: unknown): SubmittedForm {
  if (typeof body !== 'object' || body === null) throw new InputError('The form arrived empty.');
  const form: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') form[key] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) form[key] = value as string[];
  }
  return form;
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
