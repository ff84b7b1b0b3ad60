import { InputError } from '../src/errors.js';
import { localized } from '../src/i18n/text.js';
import { readAnimateForm } from './animateForm.js';
import { customIdFor } from './customId.js';
import type { ModalHandler } from './interaction.js';
import { startJob } from './jobStart.js';

const ANIMATE_IMAGE_ACTION = 'animate';

/** `animate:<short id>`: the "Animate image" form about one pending picture (src/jobs/pendingAnimations.ts). */
export function animateImageFormId(pendingId: string): string {
  return customIdFor(ANIMATE_IMAGE_ACTION, pendingId);
}

/** The submitted "Animate image" form: the same pipeline as /animate, replying publicly in the channel. */
export const animateImageForm = {
  kind: 'modal',
  action: ANIMATE_IMAGE_ACTION,
  customId: animateImageFormId,
  async execute(interaction, pendingId, context) {
    const pending = await context.pendingAnimations.find(pendingId);
    if (!pending) throw new InputError(localized('form.expired'));
    const form = readAnimateForm(interaction);
    await startJob(
      interaction,
      {
        guildId: interaction.guildId,
        channelId: interaction.channelId ?? pending.channelId,
        userId: interaction.user.id,
        locale: interaction.locale,
        image: pending.image,
        prompt: form.prompt,
        negativePrompt: form.negativePrompt,
        resolution: form.resolution,
        duration: form.duration,
      },
      context,
    );
  },
} satisfies ModalHandler;
