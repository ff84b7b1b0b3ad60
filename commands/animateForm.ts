import {
  LabelBuilder,
  ModalBuilder,
  StringSelectMenuBuilder,
  StringSelectMenuOptionBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { VideoModel } from '../src/fal/models/videoModel.js';
import type { Messages } from '../src/i18n/en.js';

/**
 * The form that starts a job without the slash command ("Animate image",
 * Remix): Discord's modal with labelled components. The custom_ids are an
 * external interface: `prompt`, `negative_prompt`, `resolution`, `duration`,
 * with the slash command's choice values.
 */
export const FORM_FIELDS = { prompt: 'prompt', negativePrompt: 'negative_prompt', resolution: 'resolution', duration: 'duration' } as const;

/** Discord's own limits for these fields (the slash command's). */
const PROMPT_MAX_LENGTH = 800;
const NEGATIVE_PROMPT_MAX_LENGTH = 500;

export interface AnimateFormInput {
  customId: string;
  title: string;
  t: Messages;
  prompt?: string | undefined;
  negativePrompt?: string | null | undefined;
  /** With resolution and duration selects: the model's choices, the member's defaults pre-selected. */
  choices?: { model: VideoModel; resolution: string | null; durationSeconds: number | null } | undefined;
}

export function animateForm({ customId, title, t, prompt, negativePrompt, choices }: AnimateFormInput): ModalBuilder {
  const promptInput = new TextInputBuilder()
    .setCustomId(FORM_FIELDS.prompt)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMaxLength(PROMPT_MAX_LENGTH);
  if (prompt) promptInput.setValue(prompt.slice(0, PROMPT_MAX_LENGTH));
  const negativeInput = new TextInputBuilder()
    .setCustomId(FORM_FIELDS.negativePrompt)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(false)
    .setMaxLength(NEGATIVE_PROMPT_MAX_LENGTH);
  if (negativePrompt) negativeInput.setValue(negativePrompt.slice(0, NEGATIVE_PROMPT_MAX_LENGTH));

  const labels = [
    new LabelBuilder().setLabel(t['form.prompt']).setTextInputComponent(promptInput),
    new LabelBuilder().setLabel(t['form.negativePrompt']).setTextInputComponent(negativeInput),
  ];
  if (choices) {
    const { model } = choices;
    labels.push(
      new LabelBuilder().setLabel(t['form.resolution']).setStringSelectMenuComponent(
        select(
          FORM_FIELDS.resolution,
          model.resolutions.map((resolution) => ({ label: resolution, value: resolution, selected: resolution === choices.resolution })),
        ),
      ),
      new LabelBuilder().setLabel(t['form.duration']).setStringSelectMenuComponent(
        select(
          FORM_FIELDS.duration,
          model.durationsSeconds.map((seconds) => ({
            label: t['form.durationChoice']({ seconds }),
            value: String(seconds),
            selected: seconds === choices.durationSeconds,
          })),
        ),
      ),
    );
  }
  return new ModalBuilder().setCustomId(customId).setTitle(title.slice(0, 45)).addLabelComponents(...labels);
}

/** An optional select: left alone, the member's or the server's default applies. */
function select(customId: string, options: Array<{ label: string; value: string; selected: boolean }>): StringSelectMenuBuilder {
  return new StringSelectMenuBuilder()
    .setCustomId(customId)
    .setRequired(false)
    .setMinValues(0)
    .setMaxValues(1)
    .addOptions(options.map((option) => new StringSelectMenuOptionBuilder().setLabel(option.label).setValue(option.value).setDefault(option.selected)));
}

export interface AnimateFormValues {
  prompt: string;
  negativePrompt: string | null;
  resolution: string | null;
  duration: string | null;
}

/** What the member submitted; a field the form did not have reads as not given. */
export function readAnimateForm(interaction: ModalSubmitInteraction): AnimateFormValues {
  const { fields } = interaction;
  const has = (customId: string) => fields.fields.has(customId);
  const picked = (customId: string) => (has(customId) ? (fields.getStringSelectValues(customId)[0] ?? null) : null);
  return {
    prompt: fields.getTextInputValue(FORM_FIELDS.prompt),
    negativePrompt: has(FORM_FIELDS.negativePrompt) ? fields.getTextInputValue(FORM_FIELDS.negativePrompt) || null : null,
    resolution: picked(FORM_FIELDS.resolution),
    duration: picked(FORM_FIELDS.duration),
  };
}
