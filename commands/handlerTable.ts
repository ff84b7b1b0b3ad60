import { ApplicationCommandType } from 'discord.js';
import { parseCustomId } from './customId.js';
import {
  commandBody,
  isApplicationCommand,
  type ApplicationCommand,
  type ComponentHandler,
  type InteractionHandler,
} from './interaction.js';

/** The command type Discord reports for each kind; a builder that says otherwise would never be routed to. */
const COMMAND_TYPES: Record<ApplicationCommand['kind'], ApplicationCommandType> = {
  slash: ApplicationCommandType.ChatInput,
  messageContextMenu: ApplicationCommandType.Message,
  userContextMenu: ApplicationCommandType.User,
};

type CommandOfKind<K extends ApplicationCommand['kind']> = Extract<ApplicationCommand, { kind: K }>;
type ComponentOfKind<K extends ComponentHandler['kind']> = Extract<ComponentHandler, { kind: K }>;

/**
 * The handler list indexed for the router: commands by kind and name (Discord
 * keeps a separate namespace per command type), buttons and modals by kind and
 * custom-id action. Mistakes in the list (two handlers for one route, a
 * context-menu builder of the wrong type, a custom-id builder that routes
 * elsewhere) throw when the table is built, i.e. at start-up.
 */
export class HandlerTable {
  private readonly commands = new Map<string, ApplicationCommand>();
  private readonly components = new Map<string, ComponentHandler>();

  constructor(handlers: readonly InteractionHandler[]) {
    for (const handler of handlers) {
      if (isApplicationCommand(handler)) this.addCommand(handler);
      else this.addComponent(handler);
    }
  }

  command<K extends ApplicationCommand['kind']>(kind: K, name: string): CommandOfKind<K> | undefined {
    return this.commands.get(`${kind}:${name}`) as CommandOfKind<K> | undefined;
  }

  component<K extends ComponentHandler['kind']>(kind: K, action: string): ComponentOfKind<K> | undefined {
    return this.components.get(`${kind}:${action}`) as ComponentOfKind<K> | undefined;
  }

  private addCommand(command: ApplicationCommand): void {
    const body = commandBody(command);
    const type = body.type ?? ApplicationCommandType.ChatInput;
    if (type !== COMMAND_TYPES[command.kind]) {
      throw new Error(`the ${command.kind} command "${body.name}" is defined with application command type ${type}`);
    }
    addOnce(this.commands, `${command.kind}:${body.name}`, command);
  }

  private addComponent(handler: ComponentHandler): void {
    const routedAction = parseCustomId(handler.customId('probe'))?.action;
    if (routedAction !== handler.action) {
      throw new Error(`the ${handler.kind} handler for "${handler.action}" builds custom ids that route to "${routedAction}"`);
    }
    addOnce(this.components, `${handler.kind}:${handler.action}`, handler);
  }
}

function addOnce<T>(map: Map<string, T>, key: string, value: T): void {
  if (map.has(key)) throw new Error(`two interaction handlers for ${key}`);
  map.set(key, value);
}
