import type { FastifyInstance } from 'fastify';
import { clipCostCents } from '../../quota/cost.js';
import { AccessDenied } from './access.js';
import { sendPage, type DashboardContext } from './context.js';
import { usagePage } from './pages/usagePage.js';
import { GUILD_ID, guildIdOf, guildView, namesFor, type GuildParams } from './serverRequests.js';

const RECENT_JOBS = 10;

/**
 * A member's use of one server, as /usage tells it: anyone in a server the
 * bot is on sees their own; moderators may ask for another member's.
 */
export function usageRoutes(scope: FastifyInstance, context: DashboardContext): void {
  const { deps, access, directory } = context;

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
