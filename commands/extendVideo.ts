import { LabelBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { formatUsd } from '../src/quota/money.js';
import { customIdFor } from './customId.js';
import type { ButtonHandler, ModalHandler } from './interaction.js';
import { memberOf, replyTargetOf } from './jobStart.js';
import { localeOf } from '../src/i18n/locale.js';
import { messagesFor } from '../src/i18n/text.js';

const EXTEND_ACTION = 'extend';
const PROMPT_FIELD = 'prompt';

/**
 * `extend:<jobId>`, on the Extend button under a finished video and on the
 * form it opens (buttons and modals are routed apart). Messages already in
 * Discord carry it, so the format must never change; the messenger gets it
 * through the composition root (src/app.ts).
 */
export function extendButtonId(jobId: string): string {
  return customIdFor(EXTEND_ACTION, jobId);
}

/**
 * Extend, step 1: the form, with the video's prompt to keep or change and the
 * price in its title, so the clicker sees what it costs before anything is
 * reserved. A video that cannot be extended (too long already, gone) gets a
 * sentence instead (thrown; the router answers privately).
 */
export const extendButton = {
  kind: 'button',
  action: EXTEND_ACTION,
  customId: extendButtonId,
  async execute(interaction, jobId, { jobs, models }) {
    const offer = await jobs.offerExtension(jobId);
    const model = models.get(offer.parent.model);
    const t = messagesFor(localeOf(interaction.locale));
    const modal = new ModalBuilder()
      .setCustomId(extendButtonId(jobId))
      .setTitle(t['extend.formTitle']({ seconds: offer.durationSeconds, cost: formatUsd(offer.costCents) }))
      .addLabelComponents(
        new LabelBuilder()
          .setLabel(t['extend.promptLabel'])
          .setDescription(t['extend.promptHint']({ total: offer.totalSeconds }))
          .setTextInputComponent(
            new TextInputBuilder()
              .setCustomId(PROMPT_FIELD)
              .setStyle(TextInputStyle.Paragraph)
              .setRequired(true)
              .setMaxLength(model.promptMaxLength)
              .setValue(offer.prompt.slice(0, model.promptMaxLength)),
          ),
      );
    await interaction.showModal(modal);
  },
} satisfies ButtonHandler;

/**
 * Extend, step 2: the submitted form starts a new paid job under the
 * clicker's quota, answered in a new public reply like any /animate.
 */
export const extendForm = {
  kind: 'modal',
  action: EXTEND_ACTION,
  customId: extendButtonId,
  async execute(interaction, jobId, { jobs }) {
    const asker = { guildId: interaction.guildId, channelId: interaction.channelId ?? '', userId: interaction.user.id, locale: interaction.locale };
    await jobs.extend(jobId, interaction.fields.getTextInputValue(PROMPT_FIELD), asker, replyTargetOf(interaction), memberOf(interaction), async () => {
      // Discord says the reply's id here; the dashboard's job history links to it.
      const response = await interaction.deferReply({ withResponse: true });
      return response.resource?.message?.id ?? null;
    });
  },
} satisfies ModalHandler;
