import { animate } from './animate.js';
import { cancelJob } from './cancelJob.js';
import { extendButton, extendForm } from './extendVideo.js';
import type { InteractionHandler } from './interaction.js';
import { quota } from './quota.js';
import { usage } from './usage.js';

/**
 * Every incoming interaction the bot answers, listed once (no folder
 * scanning): the router dispatches from it and the deploy script registers
 * its application commands, so a definition exists in one place.
 */
export const interactionHandlers: readonly InteractionHandler[] = [animate, quota, usage, cancelJob, extendButton, extendForm];
