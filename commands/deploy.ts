import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ApplicationCommandType, REST, Routes } from 'discord.js';
import { ConfigError, parseDeployConfig } from '../src/config/config.js';
import { commandBody, isApplicationCommand, type ApplicationCommandBody, type InteractionHandler } from './interaction.js';
import { interactionHandlers } from './registry.js';

export interface DeployOptions {
  rest: REST;
  applicationId: string;
  /** Register to one guild (instant) instead of globally (propagates over up to an hour). */
  guildId?: string;
}

/** What Discord registers: every slash and context-menu command in the list; buttons and modals need no registration. */
export function applicationCommandBodies(handlers: readonly InteractionHandler[]): ApplicationCommandBody[] {
  return handlers.filter(isApplicationCommand).map(commandBody);
}

/** A command as Discord lists it after registering. */
export interface RegisteredCommand {
  name: string;
  type?: ApplicationCommandType;
}

/** Registers every application command in registry.ts, replacing what was there. */
export async function deployCommands(options: DeployOptions): Promise<RegisteredCommand[]> {
  const body = applicationCommandBodies(interactionHandlers);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  return (await options.rest.put(route, { body })) as RegisteredCommand[];
}

/** `/animate` for a slash command, the plain menu label ("Animate image") for a context-menu command. */
function commandLabel(command: RegisteredCommand): string {
  return (command.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput ? `/${command.name}` : command.name;
}

export function guildIdFromArgs(args: readonly string[]): string | undefined {
  const index = args.indexOf('--guild');
  if (index === -1) return undefined;
  const guildId = args[index + 1];
  if (!guildId || !/^\d{17,20}$/.test(guildId)) throw new Error('--guild needs a server id (17–20 digits)');
  return guildId;
}

/** `npm run deploy-commands [-- --guild <id>]`. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const discord = parseDeployConfig(process.env);
  const guildId = guildIdFromArgs(process.argv.slice(2));
  const rest = new REST({ api: discord.apiBaseUrl }).setToken(discord.token);
  const registered = await deployCommands({ rest, applicationId: discord.applicationId, ...(guildId ? { guildId } : {}) });
  const where = guildId ? `in server ${guildId}` : 'globally';
  process.stdout.write(`Registered ${registered.length} command(s) ${where}: ${registered.map(commandLabel).join(', ')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `Could not register commands: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exit(1);
  });
}
