import { SlashCommandBuilder, type Attachment, type ChatInputCommandInteraction } from 'discord.js';
import { wan25 } from '../src/fal/models/wan25.js';
import type { AnimateOptions } from '../src/jobs/animateRequest.js';
import type { AttachmentRef } from '../src/jobs/types.js';
import { localized } from '../src/i18n/text.js';
import type { SlashCommand } from './interaction.js';
import { localizedChoice, named } from './localizations.js';
import { startJob } from './jobStart.js';

/**
 * Discord registers one definition for every server, so the slash command
 * describes the default model; its choices are that model's (src/fal/models).
 */
const MODEL = wan25;

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

export const animate = {
  kind: 'slash',
  data,
  async execute(interaction, context) {
    await startJob(interaction, animateOptionsOf(interaction), context);
  },
} satisfies SlashCommand;
