import type { FastifyInstance, FastifyReply, preHandlerHookHandler } from 'fastify';
import { formatSetting, settingName } from '../../discord/quotaFormat.js';
import { announceQuotaChange } from '../../discord/quotaChangeAnnouncement.js';
import { InputError } from '../../errors.js';
import type { SettingChange } from '../../quota/quotaTypes.js';
import type { QuotaSetting } from '../../quota/rules.js';
import type { ServerAccess } from './access.js';
import { sendPage, type DashboardContext } from './context.js';
import { plainDiscordText, type DiscordNames } from './discordText.js';
import { overviewPage } from './pages/overviewPage.js';
import { paths } from './paths.js';
import { changeLimit } from './rateLimits.js';
import { guildIdOf, guildView, namesFor, type GuildParams } from './serverRequests.js';
import type { Session } from './sessions.js';
import { patchFromForm, settingsForm, type SubmittedForm } from './settingsForm.js';
import { describeCharts, loadSpending } from './spendingCharts.js';

/**
 * A server's budget and rules: the page (spending, charts, the one settings
 * form) and the form's save. Moderators only, asked of Discord on every
 * request; a save is checked by the rules, audited "via dashboard" and
 * announced in the mod-log.
 */
export function settingsRoutes(scope: FastifyInstance, context: DashboardContext): void {
  const { deps, access } = context;

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
      if (changes.length > 0 && !(await announce(context, server.guildId, session.userId, changes))) {
        session.flash += ' Discord refused the announcement in the mod-log channel; the change is saved.';
      }
      return reply.redirect(paths.server(server.guildId), 303);
    },
  );
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

/**
 * Told to the server's mod-log (when it has one) in the lines a /quota change
 * answers with, so the other moderators see it where they work. The change is
 * saved whatever Discord answers; false when it refused.
 */
async function announce(context: DashboardContext, guildId: string, actorId: string, changes: SettingChange[]): Promise<boolean> {
  const overview = await context.deps.quota.overview(guildId);
  const channelId = overview.rules.modLogChannelId;
  if (channelId === null) return true;
  try {
    await announceQuotaChange(context.deps.rest, { channelId, actorId, changes, overview, via: 'dashboard' });
    return true;
  } catch (failure) {
    context.logger.warn({ err: failure, guildId, channelId }, 'could not announce a dashboard change in the mod-log');
    return false;
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
