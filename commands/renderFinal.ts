import { InputError } from '../src/errors.js';
import { localeOf } from '../src/i18n/locale.js';
import { localized, messagesFor } from '../src/i18n/text.js';
import { customIdFor } from './customId.js';
import type { ButtonHandler } from './interaction.js';
import { startJob } from './jobStart.js';
import { finalResolutionFor, rerunOptions, rerunnableJob } from './rerun.js';

const RENDER_FINAL_ACTION = 'final';

/** `final:<jobId>`, on a finished video below the best resolution its server allows. */
export function renderFinalButtonId(jobId: string): string {
  return customIdFor(RENDER_FINAL_ACTION, jobId);
}

/**
 * Render final: the same picture, prompt and seed (the one fal used) at the
 * best resolution the server allows, as a new job of whoever clicked. Its
 * first words say, once, that the model does not promise the same motion.
 */
export const renderFinal = {
  kind: 'button',
  action: RENDER_FINAL_ACTION,
  customId: renderFinalButtonId,
  async execute(interaction, jobId, context) {
    const source = await rerunnableJob(jobId, context);
    // The server's rules may have changed since the button was drawn.
    const resolution = await finalResolutionFor(source, context);
    if (!resolution) throw new InputError(localized('rerun.alreadyBest'));
    const note = messagesFor(localeOf(interaction.locale))['rerun.finalNote']({ resolution });
    await startJob(interaction, rerunOptions(source, interaction, { resolution, seed: source.resultSeed ?? source.seed }), context, {
      model: source.model,
      firstWords: `ℹ️ ${note}`,
    });
  },
} satisfies ButtonHandler;
