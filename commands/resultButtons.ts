import type { ResultButton } from '../src/discord/components.js';
import type { Messages } from '../src/i18n/en.js';
import { localeOf } from '../src/i18n/locale.js';
import { messagesFor } from '../src/i18n/text.js';
import type { Job } from '../src/jobs/job.js';
import { detailsButtonId } from './details.js';
import { extendButtonId } from './extendVideo.js';
import type { CommandContext } from './interaction.js';
import { remixButtonId } from './remix.js';
import { renderFinalButtonId } from './renderFinal.js';
import { finalResolutionFor } from './rerun.js';
import { rerollButtonId } from './reroll.js';

interface Context extends Pick<CommandContext, 'quota' | 'models'> {
  /** Extend needs ffmpeg (the last frame, the join): without it there is no Extend button. */
  canExtend: boolean;
}

interface ResultButtonEntry {
  customId(jobId: string): string;
  label: keyof Messages & `button.${string}`;
  /** Left out: on every finished video. */
  shownFor?(job: Job, context: Context): Promise<boolean>;
}

/**
 * The buttons under every finished video, in order: the one list (a new
 * button is one entry here plus its handler in the registry).
 */
const RESULT_BUTTONS: readonly ResultButtonEntry[] = [
  { customId: rerollButtonId, label: 'button.reroll' },
  { customId: remixButtonId, label: 'button.remix' },
  { customId: renderFinalButtonId, label: 'button.renderFinal', shownFor: async (job, context) => (await finalResolutionFor(job, context)) !== undefined },
  { customId: detailsButtonId, label: 'button.details' },
  { customId: extendButtonId, label: 'button.extend', shownFor: async (_job, context) => context.canExtend },
];

/**
 * What the messenger puts under a finished video, in the requester's
 * language; src/app.ts passes it in, so src/discord never imports commands/.
 */
export function resultButtonsFor(context: Context): (job: Job) => Promise<ResultButton[]> {
  return async (job) => {
    const t = messagesFor(localeOf(job.locale));
    const buttons: ResultButton[] = [];
    for (const entry of RESULT_BUTTONS) {
      if (entry.shownFor && !(await entry.shownFor(job, context))) continue;
      buttons.push({ customId: entry.customId(job.id), label: t[entry.label] as string });
    }
    return buttons;
  };
}

