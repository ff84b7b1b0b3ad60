import type { ButtonInteraction } from 'discord.js';
import type { CommandContext } from './command.js';
import { cancelJob } from './cancelJob.js';

/** A button on one of the bot's messages; `action` is the custom id's prefix (src/discord/buttons.ts). */
export interface ButtonHandler {
  action: string;
  execute(interaction: ButtonInteraction, jobId: string, context: CommandContext): Promise<void>;
}

export const buttonHandlers: readonly ButtonHandler[] = [cancelJob];

export function findButtonHandler(action: string): ButtonHandler | undefined {
  return buttonHandlers.find((handler) => handler.action === action);
}
