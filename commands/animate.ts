import { SlashCommandBuilder, type Attachment, type ChatInputCommandInteraction } from 'discord.js';
import { wan25 } from '../src/fal/models/wan25.js';
import { buildAnimateRequest, type AnimateOptions } from '../src/jobs/animateRequest.js';
import type { AttachmentRef, ReplyTarget } from '../src/jobs/types.js';
import { localized } from '../src/i18n/text.js';
import type { SlashCommand } from './interaction.js';
import { localizedChoice, named } from './localizations.js';
import { roleIdsOf } from './permissions.js';

/**
 * Discord registers one definition for every server, so the slash command
 * describes the default model; its choices are that model's (src/fal/models).
 */
const MODEL = wan25;
/** Interaction tokens work for 15 minutes after the interaction (PROTOCOLS.md §3). */
const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;
const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

const data = named(new SlashCommandBuilder(), localized('command.animate.name'), localized('command.animate.description'))
  .setDMPermission(false)
  .addAttachmentOption((o) =>
    named(o, localized('command.animate.image.name'), localized('command.animate.image.description')).setRequired(true),
  )
  .addStringOption((o) =>
    named(o, localized('command.animate.prompt.name'), localized('command.animate.prompt.description'))
      .setRequired(true)
      .setMaxLength(MODEL.promptMaxLength),
  )
  .addStringOption((o) =>
    named(o, localized('command.animate.negativePrompt.name'), localized('command.animate.negativePrompt.description')).setMaxLength(
      MODEL.negativePromptMaxLength,
    ),
  )
  .addStringOption((o) =>
    named(o, localized('command.animate.resolution.name'), localized('command.animate.resolution.description')).addChoices(
      ...MODEL.resolutions.map((resolution) => ({ name: resolution, value: resolution })),
    ),
  )
  .addStringOption((o) =>
    named(o, localized('command.animate.duration.name'), localized('command.animate.duration.description')).addChoices(
      ...MODEL.durationsSeconds.map((seconds) => localizedChoice(localized('command.animate.duration.choice', { seconds }), String(seconds))),
    ),
  )
  .addIntegerOption((o) =>
    named(o, localized('command.animate.seed.name'), localized('command.animate.seed.description')).setMinValue(0).setMaxValue(2_147_483_647),
  )
  .addAttachmentOption((o) =>
    named(
      o,
      localized('command.animate.audio.name'),
      localized('command.animate.audio.description', { min: MODEL.audio?.minSeconds ?? 3, max: MODEL.audio?.maxSeconds ?? 30 }),
    ),
  )
  .addBooleanOption((o) => named(o, localized('command.animate.promptExpansion.name'), localized('command.animate.promptExpansion.description')));

function attachmentRef(attachment: Attachment): AttachmentRef {
  return { url: attachment.url, filename: attachment.name, contentType: attachment.contentType ?? undefined, declaredSize: attachment.size };
}

/** Options → the source-agnostic shape the one request builder takes (src/jobs/animateRequest.ts). */
export function animateOptionsOf(interaction: ChatInputCommandInteraction): AnimateOptions {
  const audio = interaction.options.getAttachment('audio');
  return {
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    userId: interaction.user.id,
    locale: interaction.locale,
    image: attachmentRef(interaction.options.getAttachment('image', true)),
    audio: audio ? attachmentRef(audio) : undefined,
    prompt: interaction.options.getString('prompt', true),
    negativePrompt: interaction.options.getString('negative_prompt'),
    resolution: interaction.options.getString('resolution'),
    duration: interaction.options.getString('duration'),
    seed: interaction.options.getInteger('seed'),
    promptExpansion: interaction.options.getBoolean('prompt_expansion'),
  };
}

/** Where a job started by any interaction (a command, a modal submit) answers. */
export function replyTargetOf(
  interaction: Pick<ChatInputCommandInteraction, 'applicationId' | 'id' | 'token' | 'createdTimestamp' | 'attachmentSizeLimit' | 'appPermissions'>,
): ReplyTarget {
  return {
    applicationId: interaction.applicationId,
    interactionId: interaction.id,
    token: interaction.token,
    expiresAt: interaction.createdTimestamp + INTERACTION_TOKEN_LIFETIME_MS,
    attachmentSizeLimit: interaction.attachmentSizeLimit || DEFAULT_ATTACHMENT_SIZE_LIMIT,
    appPermissions: interaction.appPermissions?.bitfield.toString() ?? null,
  };
}

export const animate = {
  kind: 'slash',
  data,
  async execute(interaction, { config, jobs, models }) {
    const request = buildAnimateRequest(animateOptionsOf(interaction), models.default, config.defaults);
    const channel = interaction.channel;
    const member = {
      roleIds: roleIdsOf(interaction.member),
      parentChannelId: channel?.isThread() ? channel.parentId : null,
      guildLocale: interaction.guildLocale,
    };
    await jobs.start(request, replyTargetOf(interaction), member, async () => {
      await interaction.deferReply();
    });
  },
} satisfies SlashCommand;
