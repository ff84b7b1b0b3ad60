import { MessageFlags, type Interaction } from 'discord.js';
import type { Logger } from 'pino';
import { UnavailableError, UserFacingError, memberMessageFor, newReportId } from '../src/errors.js';
import { localeOf } from '../src/i18n/locale.js';
import { localized, type MemberText } from '../src/i18n/text.js';
import { parseCustomId } from './customId.js';
import { HandlerTable } from './handlerTable.js';
import type { CommandContext, InteractionHandler } from './interaction.js';

export interface RouterOptions {
  /** Usually `interactionHandlers` from registry.ts. */
  handlers: readonly InteractionHandler[];
  context: CommandContext;
  logger: Logger;
  /** True once shutdown began: new work is turned away politely. */
  isStopping: () => boolean;
}

/**
 * The one error boundary between Discord and the bot: every interaction goes
 * through here, and whatever a handler throws ends as a short message to the
 * member (never a stack trace) plus a log line with context. A bug's message
 * carries a report id that is also in its log line, so a member's screenshot
 * leads to the stack trace.
 */
export function createInteractionRouter(options: RouterOptions): (interaction: Interaction) => Promise<void> {
  const { context, logger } = options;
  const table = new HandlerTable(options.handlers);
  return async (interaction) => {
    const log = logger.child({ interactionId: interaction.id, guildId: interaction.guildId, ...routeOf(interaction) });
    // With shards in several processes, this says which process took which interaction.
    log.debug('interaction received');
    try {
      if (options.isStopping()) throw new UnavailableError(localized('error.restarting'));
      await dispatch(interaction, table, context);
    } catch (error) {
      // Said in the member's language (Discord sends their client's locale with every interaction).
      const locale = localeOf(interaction.locale);
      let message: string;
      if (error instanceof UserFacingError) {
        log.info({ reason: error.message, kind: error.kind }, 'interaction refused');
        message = memberMessageFor(error, undefined, locale);
      } else {
        const reportId = newReportId();
        log.error({ err: error, reportId }, 'interaction failed');
        message = memberMessageFor(error, reportId, locale);
      }
      await answerWithError(interaction, message).catch((replyError: unknown) =>
        log.warn({ err: replyError }, 'could not tell the member about the error'),
      );
    }
  };
}

async function dispatch(interaction: Interaction, table: HandlerTable, context: CommandContext): Promise<void> {
  if (interaction.isChatInputCommand()) {
    await orUnavailable(table.command('slash', interaction.commandName), COMMAND_GONE).execute(interaction, context);
  } else if (interaction.isAutocomplete()) {
    const autocomplete = table.command('slash', interaction.commandName)?.autocomplete;
    if (!autocomplete) throw new UnavailableError(COMMAND_GONE);
    await autocomplete(interaction, context);
  } else if (interaction.isMessageContextMenuCommand()) {
    await orUnavailable(table.command('messageContextMenu', interaction.commandName), COMMAND_GONE).execute(interaction, context);
  } else if (interaction.isUserContextMenuCommand()) {
    await orUnavailable(table.command('userContextMenu', interaction.commandName), COMMAND_GONE).execute(interaction, context);
  } else if (interaction.isButton()) {
    const parsed = parseCustomId(interaction.customId);
    const handler = parsed && table.component('button', parsed.action);
    if (!parsed || !handler) throw new UnavailableError(localized('router.buttonGone'));
    await handler.execute(interaction, parsed.id, context);
  } else if (interaction.isModalSubmit()) {
    const parsed = parseCustomId(interaction.customId);
    const handler = parsed && table.component('modal', parsed.action);
    if (!parsed || !handler) throw new UnavailableError(localized('router.formGone'));
    await handler.execute(interaction, parsed.id, context);
  } else {
    // Select menus and other kinds the bot never sends.
    throw new UnavailableError(localized('router.gone'));
  }
}

const COMMAND_GONE = localized('router.commandGone');

function orUnavailable<T>(handler: T | undefined, sentence: MemberText): T {
  if (!handler) throw new UnavailableError(sentence);
  return handler;
}

/** What the log line says was used: the interaction's kind and its command name or custom id. */
function routeOf(interaction: Interaction): { interactionKind: string; command?: string } {
  if (interaction.isChatInputCommand()) return { interactionKind: 'slash', command: interaction.commandName };
  if (interaction.isAutocomplete()) return { interactionKind: 'autocomplete', command: interaction.commandName };
  if (interaction.isMessageContextMenuCommand()) return { interactionKind: 'messageContextMenu', command: interaction.commandName };
  if (interaction.isUserContextMenuCommand()) return { interactionKind: 'userContextMenu', command: interaction.commandName };
  if (interaction.isButton()) return { interactionKind: 'button', command: interaction.customId };
  if (interaction.isModalSubmit()) return { interactionKind: 'modal', command: interaction.customId };
  return { interactionKind: 'unsupported' };
}

async function answerWithError(interaction: Interaction, message: string): Promise<void> {
  if (interaction.isAutocomplete()) {
    // Autocomplete cannot show a message: no suggestions is the polite answer.
    if (!interaction.responded) await interaction.respond([]);
    return;
  }
  const body = { content: `❌ ${message}`, allowedMentions: { parse: [] } };
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
  } else if (interaction.isMessageComponent() || (interaction.isModalSubmit() && interaction.isFromMessage())) {
    // editReply would overwrite the message the button (or the modal's button) sits on.
    await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.editReply(body);
  }
}
