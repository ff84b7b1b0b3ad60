import { SlashCommandBuilder, type Attachment, type ChatInputCommandInteraction } from 'discord.js';
import { wan25 } from '../src/fal/models/wan25.js';
import { buildAnimateRequest, type AnimateOptions } from '../src/jobs/animateRequest.js';
import type { AttachmentRef, ReplyTarget } from '../src/jobs/types.js';
import type { SlashCommand } from './interaction.js';
import { roleIdsOf } from './permissions.js';

/**
 * Discord registers one definition for every server, so the slash command
 * describes the default model; its choices are that model's (src/fal/models).
 */
const MODEL = wan25;
/** Interaction tokens work for 15 minutes after the interaction (PROTOCOLS.md §3). */
const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;
const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

const data = new SlashCommandBuilder()
  .setName('animate')
  .setDescription('Turn a picture into a short video')
  .setDMPermission(false)
  .addAttachmentOption((o) =>
    o.setName('image').setDescription('The first frame: a picture (JPEG, PNG, WEBP, GIF…); I fit its size and format if needed').setRequired(true),
  )
  .addStringOption((o) =>
    o.setName('prompt').setDescription('What should happen in the video').setRequired(true).setMaxLength(MODEL.promptMaxLength),
  )
  .addStringOption((o) =>
    o.setName('negative_prompt').setDescription('What to avoid').setMaxLength(MODEL.negativePromptMaxLength),
  )
  .addStringOption((o) =>
    o
      .setName('resolution')
      .setDescription('Video resolution (higher costs more)')
      .addChoices(...MODEL.resolutions.map((resolution) => ({ name: resolution, value: resolution }))),
  )
  .addStringOption((o) =>
    o.setName('duration').setDescription('Length of the video').addChoices(...MODEL.durationsSeconds.map((seconds) => ({ name: `${seconds} seconds`, value: String(seconds) }))),
  )
  .addIntegerOption((o) => o.setName('seed').setDescription('Same seed, same picture, same prompt → same video').setMinValue(0).setMaxValue(2_147_483_647))
  .addAttachmentOption((o) => o.setName('audio').setDescription(`Background music: WAV or MP3, ${MODEL.audio?.minSeconds ?? 3}–${MODEL.audio?.maxSeconds ?? 30} s`))
  .addBooleanOption((o) => o.setName('prompt_expansion').setDescription('Let an AI enrich your prompt (default: on)'));

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
    const member = { roleIds: roleIdsOf(interaction.member), parentChannelId: channel?.isThread() ? channel.parentId : null };
    await jobs.start(request, replyTargetOf(interaction), member, async () => {
      await interaction.deferReply();
    });
  },
} satisfies SlashCommand;
