import { SlashCommandBuilder, type Attachment, type ChatInputCommandInteraction } from 'discord.js';
import type { Config, DurationSeconds, Resolution } from '../src/config/config.js';
import { stripInvisible } from '../src/discord/format.js';
import { InputError } from '../src/errors.js';
import type { AnimateRequest, AttachmentRef, ReplyTarget } from '../src/jobs/types.js';
import { formatMegabytes } from '../src/media/format.js';
import { AUDIO_MAX_BYTES, IMAGE_MAX_BYTES } from '../src/media/limits.js';
import type { SlashCommand } from './interaction.js';
import { roleIdsOf } from './permissions.js';

export const PROMPT_MAX_LENGTH = 800;
export const NEGATIVE_PROMPT_MAX_LENGTH = 500;
/** Interaction tokens work for 15 minutes after the interaction (PROTOCOLS.md §3). */
const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;
const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

const data = new SlashCommandBuilder()
  .setName('animate')
  .setDescription('Turn a picture into a short video')
  .setDMPermission(false)
  .addAttachmentOption((o) => o.setName('image').setDescription('The first frame: JPEG, PNG, BMP or WEBP, 360–2000 px').setRequired(true))
  .addStringOption((o) =>
    o.setName('prompt').setDescription('What should happen in the video').setRequired(true).setMaxLength(PROMPT_MAX_LENGTH),
  )
  .addStringOption((o) =>
    o.setName('negative_prompt').setDescription('What to avoid').setMaxLength(NEGATIVE_PROMPT_MAX_LENGTH),
  )
  .addStringOption((o) =>
    o
      .setName('resolution')
      .setDescription('Video resolution (higher costs more)')
      .addChoices({ name: '480p', value: '480p' }, { name: '720p', value: '720p' }, { name: '1080p', value: '1080p' }),
  )
  .addStringOption((o) =>
    o.setName('duration').setDescription('Length of the video').addChoices({ name: '5 seconds', value: '5' }, { name: '10 seconds', value: '10' }),
  )
  .addIntegerOption((o) => o.setName('seed').setDescription('Same seed, same picture, same prompt → same video').setMinValue(0).setMaxValue(2_147_483_647))
  .addAttachmentOption((o) => o.setName('audio').setDescription('Background music: WAV or MP3, 3–30 s'))
  .addBooleanOption((o) => o.setName('prompt_expansion').setDescription('Let an AI enrich your prompt (default: on)'));

function attachmentRef(attachment: Attachment): AttachmentRef {
  return { url: attachment.url, filename: attachment.name, contentType: attachment.contentType ?? undefined, declaredSize: attachment.size };
}

/**
 * U+0000 is the one character no store can hold (PostgreSQL refuses it in
 * text) and no prompt means; everything else the member typed reaches the model.
 */
function withoutNul(text: string): string {
  return text.replaceAll('\u0000', '');
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/**
 * Options → typed request. Rejects what is plainly wrong from what Discord
 * tells us (text too long, declared type or size), so the member hears at once
 * and ephemerally; the bytes themselves are checked after the reply is deferred.
 */
export function parseAnimateOptions(interaction: ChatInputCommandInteraction, defaults: Config['defaults']): AnimateRequest {
  const image = interaction.options.getAttachment('image', true);
  const audio = interaction.options.getAttachment('audio') ?? undefined;
  const prompt = withoutNul(interaction.options.getString('prompt', true)).trim();
  const negativePrompt = withoutNul(interaction.options.getString('negative_prompt') ?? '').trim() || undefined;

  // Zero-width and bidi characters alone would send the model an empty prompt.
  if (stripInvisible(prompt).trim().length === 0) {
    throw new InputError('The prompt is empty. Describe what should happen in the video.');
  }
  if (prompt.length > PROMPT_MAX_LENGTH) {
    throw new InputError(`The prompt is ${prompt.length} characters; the limit is ${PROMPT_MAX_LENGTH}.`);
  }
  if (negativePrompt && negativePrompt.length > NEGATIVE_PROMPT_MAX_LENGTH) {
    throw new InputError(`The negative prompt is ${negativePrompt.length} characters; the limit is ${NEGATIVE_PROMPT_MAX_LENGTH}.`);
  }
  if (image.contentType && !image.contentType.startsWith('image/')) {
    throw new InputError('The `image` attachment is not a picture. Please attach a JPEG, PNG, BMP or WEBP.');
  }
  // Worded and rounded as checkImage / checkAudio word them, so one file gets one answer.
  if (image.size > IMAGE_MAX_BYTES) {
    throw new InputError(`The image is ${formatMegabytes(image.size)}; the limit is ${formatMegabytes(IMAGE_MAX_BYTES)}.`);
  }
  if (audio && audio.size > AUDIO_MAX_BYTES) {
    throw new InputError(`The audio file is ${formatMegabytes(audio.size)}; the limit is ${formatMegabytes(AUDIO_MAX_BYTES)}.`);
  }
  const seed = interaction.options.getInteger('seed');
  return {
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    userId: interaction.user.id,
    image: attachmentRef(image),
    audio: audio ? attachmentRef(audio) : undefined,
    prompt,
    negativePrompt,
    resolution: oneOf<Resolution>(interaction.options.getString('resolution'), ['480p', '720p', '1080p'], defaults.resolution),
    duration: oneOf<DurationSeconds>(interaction.options.getString('duration'), ['5', '10'], defaults.duration),
    seed: seed ?? undefined,
    promptExpansion: interaction.options.getBoolean('prompt_expansion') ?? true,
  };
}

export function replyTargetOf(interaction: ChatInputCommandInteraction): ReplyTarget {
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
  async execute(interaction, { config, jobs }) {
    const request = parseAnimateOptions(interaction, config.defaults);
    // Reserving is one quick transaction: done before acknowledging, a refusal
    // reaches the member privately and the public reply never appears.
    const channel = interaction.channel;
    const accepted = await jobs.accept(request, replyTargetOf(interaction), {
      roleIds: roleIdsOf(interaction.member),
      parentChannelId: channel?.isThread() ? channel.parentId : null,
    });
    try {
      await interaction.deferReply();
    } catch (error) {
      await jobs.abandon(accepted.job.id, error);
      throw error;
    }
    jobs.run(accepted);
  },
} satisfies SlashCommand;
