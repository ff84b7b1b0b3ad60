import { readAnimateForm } from './animateForm.js';
import type { ModalHandler } from './interaction.js';
import { startJob } from './jobStart.js';
import { remixButtonId } from './remix.js';
import { rerunOptions, rerunnableJob } from './rerun.js';

/** The submitted Remix form: the same picture and settings with the member's prompt, as their new job. */
export const remixForm = {
  kind: 'modal',
  action: 'remix',
  customId: remixButtonId,
  async execute(interaction, jobId, context) {
    const source = await rerunnableJob(jobId, context);
    const { prompt, negativePrompt } = readAnimateForm(interaction);
    await startJob(interaction, rerunOptions(source, interaction, { prompt, negativePrompt }), context, { model: source.model });
  },
} satisfies ModalHandler;
