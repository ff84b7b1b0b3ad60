import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
  UserContextMenuCommandInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Config } from '../src/config/config.js';
import type { ModelRegistry } from '../src/fal/models/registry.js';
import type { Jobs } from '../src/jobs/jobs.js';
import type { MemberSettingsRepository } from '../src/jobs/memberSettings.js';
import type { PendingAnimations } from '../src/jobs/pendingAnimations.js';
import type { QuotaAdmin } from '../src/quota/quotaTypes.js';

/**
 * The shapes of every incoming interaction handler. Each handler is one file
 * in commands/ holding its definition and a thin handler; registry.ts lists
 * them, and that one list feeds the router and the deploy script.
 */

/** What a handler may use: the pipeline, never SQL or HTTP directly. */
export interface CommandContext {
  config: Config;
  jobs: Jobs;
  models: ModelRegistry;
  /** Quota rules and usage for `/quota` and `/usage`. */
  quota: QuotaAdmin;
  /** Members' own defaults (`/settings`), applied by every command that starts a job. */
  memberSettings: MemberSettingsRepository;
  /** "Animate image" forms between the right-click and the submit. */
  pendingAnimations: PendingAnimations;
  logger: Logger;
}

/** A command's definition: a discord.js builder, or the JSON body Discord takes, written out. */
export type CommandData<Body extends { name: string }> = Body | { readonly name: string; toJSON(): Body };

export interface SlashCommand {
  kind: 'slash';
  data: CommandData<RESTPostAPIChatInputApplicationCommandsJSONBody>;
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
  /** Suggestions while the member types an option declared with `autocomplete: true`. */
  autocomplete?(interaction: AutocompleteInteraction, context: CommandContext): Promise<void>;
}

/** Right-click on a message → Apps → this command. */
export interface MessageContextMenuCommand {
  kind: 'messageContextMenu';
  data: CommandData<RESTPostAPIContextMenuApplicationCommandsJSONBody>;
  execute(interaction: MessageContextMenuCommandInteraction, context: CommandContext): Promise<void>;
}

/** Right-click on a member → Apps → this command. */
export interface UserContextMenuCommand {
  kind: 'userContextMenu';
  data: CommandData<RESTPostAPIContextMenuApplicationCommandsJSONBody>;
  execute(interaction: UserContextMenuCommandInteraction, context: CommandContext): Promise<void>;
}

/**
 * A button on one of the bot's messages. Its custom id is `<action>:<id>`
 * (customId.ts); `customId` builds it, and lives beside the handler so the
 * format and its reader are changed together.
 */
export interface ButtonHandler {
  kind: 'button';
  action: string;
  customId(id: string): string;
  execute(interaction: ButtonInteraction, id: string, context: CommandContext): Promise<void>;
}

/** A submitted modal (form); custom ids as for buttons. */
export interface ModalHandler {
  kind: 'modal';
  action: string;
  customId(id: string): string;
  execute(interaction: ModalSubmitInteraction, id: string, context: CommandContext): Promise<void>;
}

/** The handlers that are registered with Discord by the deploy script. */
export type ApplicationCommand = SlashCommand | MessageContextMenuCommand | UserContextMenuCommand;

/** The handlers found by the action in a custom id. */
export type ComponentHandler = ButtonHandler | ModalHandler;

export type InteractionHandler = ApplicationCommand | ComponentHandler;

export type ApplicationCommandBody = RESTPostAPIChatInputApplicationCommandsJSONBody | RESTPostAPIContextMenuApplicationCommandsJSONBody;

export function isApplicationCommand(handler: InteractionHandler): handler is ApplicationCommand {
  return handler.kind === 'slash' || handler.kind === 'messageContextMenu' || handler.kind === 'userContextMenu';
}

/** The JSON Discord registers for a command, whether it was written as a builder or as JSON. */
export function commandBody(command: ApplicationCommand): ApplicationCommandBody {
  const { data } = command;
  return 'toJSON' in data ? data.toJSON() : data;
}
