import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { buildAnimateRequest, type AnimateOptions } from '../src/jobs/animateRequest.js';
import type { Job, ReplyTarget } from '../src/jobs/job.js';
import { withMemberDefaults } from '../src/jobs/memberSettings.js';
import type { MemberContext } from '../src/quota/quotaTypes.js';
import type { CommandContext } from './interaction.js';
import { roleIdsOf } from './permissions.js';

/** Interaction tokens work for 15 minutes after the interaction (PROTOCOLS.md §3). */
const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;
const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/** How the job's messages reach the member: this interaction's webhook. */
export function replyTargetOf(interaction: RepliableInteraction): ReplyTarget {
  return {
    applicationId: interaction.applicationId,
    interactionId: interaction.id,
    token: interaction.token,
    expiresAt: interaction.createdTimestamp + INTERACTION_TOKEN_LIFETIME_MS,
    attachmentSizeLimit: interaction.attachmentSizeLimit || DEFAULT_ATTACHMENT_SIZE_LIMIT,
    appPermissions: interaction.appPermissions?.bitfield.toString() ?? null,
  };
}

/** Who asks, as the quota rules see them: roles, the thread's channel, the server's language. */
export function memberOf(interaction: RepliableInteraction): MemberContext {
  const channel = interaction.channel;
  return {
    roleIds: roleIdsOf(interaction.member as Parameters<typeof roleIdsOf>[0]),
    parentChannelId: channel?.isThread() ? channel.parentId : null,
    guildLocale: interaction.guildLocale,
  };
}

export interface StartOptions {
  /** The model the video is made with; the server's default model when left out. */
  model?: string;
  /** What the job's reply says first (Render final's caveat); a plain "thinking…" when left out. */
  firstWords?: string;
}

/**
 * Every source of a job ends here: the member's defaults fill what they left
 * out, the one request builder checks it, and `jobs.start` records, reserves
 * (a refusal is private and costs nothing) and then acknowledges. The
 * acknowledgement creates the job's reply, public unless the member keeps
 * their results private.
 */
export async function startJob(interaction: RepliableInteraction, options: AnimateOptions, context: CommandContext, start: StartOptions = {}): Promise<Job> {
  const { config, jobs, models, memberSettings } = context;
  const settings = await memberSettings.get(interaction.guildId, interaction.user.id);
  const model = start.model ? models.get(start.model) : models.default;
  const request = buildAnimateRequest(withMemberDefaults(options, settings), model, config.defaults);
  const flags = request.privateResult ? MessageFlags.Ephemeral : undefined;
  return jobs.start(request, replyTargetOf(interaction), memberOf(interaction), async () => {
    if (start.firstWords) {
      const response = await interaction.reply({ content: start.firstWords, allowedMentions: { parse: [] }, withResponse: true, ...(flags ? { flags } : {}) });
      return response.resource?.message?.id ?? null;
    }
    // Discord says the reply's id here; the dashboard's job history links to it.
    const response = await interaction.deferReply({ withResponse: true, ...(flags ? { flags } : {}) });
    return response.resource?.message?.id ?? null;
  });
}
