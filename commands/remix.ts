import { localeOf } from '../src/i18n/locale.js';
import { messagesFor } from '../src/i18n/text.js';
import { animateForm } from './animateForm.js';
import { customIdFor } from './customId.js';
import type { ButtonHandler } from './interaction.js';
import { rerunnableJob } from './rerun.js';

const REMIX_ACTION = 'remix';

/** `remix:<jobId>`: the button on every finished video, and the form it opens (commands/remixForm.ts). */
export function remixButtonId(jobId: string): string {
  return customIdFor(REMIX_ACTION, jobId);
}

/**
 * Remix: a form pre-filled with the video's prompt and negative prompt; the
 * edited request runs as a new job of whoever submits it (remixForm.ts).
 * Nothing is reserved until then.
 */
export const remix = {
  kind: 'button',
  action: REMIX_ACTION,
  customId: remixButtonId,
  async execute(interaction, jobId, context) {
    const source = await rerunnableJob(jobId, context);
    const t = messagesFor(localeOf(interaction.locale));
    await interaction.showModal(
      animateForm({ customId: remixButtonId(source.id), title: t['form.remixTitle'], t, prompt: source.prompt, negativePrompt: source.negativePrompt }),
    );
  },
} satisfies ButtonHandler;
