import { animate } from './animate.js';
import { animateImage } from './animateImage.js';
import { animateImageForm } from './animateImageForm.js';
import { cancelJob } from './cancelJob.js';
import { details } from './details.js';
import { extendButton, extendForm } from './extendVideo.js';
import type { InteractionHandler } from './interaction.js';
import { quota } from './quota.js';
import { remix } from './remix.js';
import { remixForm } from './remixForm.js';
import { renderFinal } from './renderFinal.js';
import { reroll } from './reroll.js';
import { settings } from './settings.js';
import { usage } from './usage.js';

/**
 * Every incoming interaction the bot answers, listed once (no folder
 * scanning): the router dispatches from it and the deploy script registers
 * its application commands, so a definition exists in one place.
 */
export const interactionHandlers: readonly InteractionHandler[] = [
  animate,
  animateImage,
  animateImageForm,
  settings,
  quota,
  usage,
  cancelJob,
  reroll,
  remix,
  remixForm,
  renderFinal,
  details,
  extendButton,
  extendForm,
];
