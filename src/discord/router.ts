import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import type { Logger } from 'pino';
import type { CommandContext } from '../../commands/command.js';
import { findButtonHandler } from '../../commands/buttonHandler.js';
import { findCommand } from '../../commands/index.js';
import { parseButtonId } from './buttons.js';
import { UnavailableError, UserFacingError, memberMessageFor } from '../errors.js';

export interface RouterOptions {
  context: CommandContext;
  logger: Logger;
  /** True once shutdown began: new work is turned away politely. */
  isStopping: () => boolean;
}

/**
 * The one error boundary between Discord and the bot: every interaction goes
 * through here, and whatever a handler throws ends as a short message to the
 * member (never a stack trace) plus a log line with context.
 */
export function createInteractionRouter(options: RouterOptions): (interaction: Interaction) => Promise<void> {
  const { context, logger } = options;
  return async (interaction) => {
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    const name = interaction.isChatInputCommand() ? interaction.commandName : interaction.customId;
    const log = logger.child({ interactionId: interaction.id, guildId: interaction.guildId, command: name });
    try {
      if (options.isStopping()) throw new UnavailableError('The bot is restarting. Please try again in a minute.');
      if (interaction.isChatInputCommand()) {
        const command = findCommand(interaction.commandName);
        if (!command) throw new UnavailableError('This command is not available any more.');
        await command.execute(interaction, context);
      } else {
        const parsed = parseButtonId(interaction.customId);
        const handler = parsed && findButtonHandler(parsed.action);
        if (!parsed || !handler) throw new UnavailableError('This button does not work any more.');
        await handler.execute(interaction, parsed.jobId, context);
      }
    } catch (error) {
      if (error instanceof UserFacingError) log.info({ reason: error.message, kind: error.kind }, 'interaction refused');
      else log.error({ err: error }, 'interaction failed');
      await answerWithError(interaction, memberMessageFor(error)).catch((replyError: unknown) =>
        log.warn({ err: replyError }, 'could not tell the member about the error'),
      );
    }
  };
}

async function answerWithError(interaction: RepliableInteraction, message: string): Promise<void> {
  const body = { content: `❌ ${message}`, allowedMentions: { parse: [] } };
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
  } else if (interaction.isMessageComponent()) {
    // editReply would overwrite the message the button sits on.
    await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.editReply(body);
  }
}
