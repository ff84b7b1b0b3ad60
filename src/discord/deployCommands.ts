import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { REST, Routes } from 'discord.js';
import { commands } from '../../commands/index.js';
import { ConfigError, parseDeployConfig } from '../config/config.js';

export interface DeployOptions {
  rest: REST;
  applicationId: string;
  /** Register to one guild (instant) instead of globally (propagates over up to an hour). */
  guildId?: string;
}

/** Registers every command in commands/index.ts, replacing what was there. */
export async function deployCommands(options: DeployOptions): Promise<string[]> {
  const body = commands.map((command) => command.data.toJSON());
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const registered = (await options.rest.put(route, { body })) as Array<{ name: string }>;
  return registered.map((command) => command.name);
}

export function guildIdFromArgs(args: readonly string[]): string | undefined {
  const index = args.indexOf('--guild');
  if (index === -1) return undefined;
  const guildId = args[index + 1];
  if (!guildId || !/^\d{17,20}$/.test(guildId)) throw new Error('--guild needs a server id (17–20 digits)');
  return guildId;
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const discord = parseDeployConfig(process.env);
  const guildId = guildIdFromArgs(process.argv.slice(2));
  const rest = new REST({ api: discord.apiBaseUrl }).setToken(discord.token);
  const names = await deployCommands({ rest, applicationId: discord.applicationId, ...(guildId ? { guildId } : {}) });
  process.stdout.write(`Registered ${names.length} command(s) ${guildId ? `in server ${guildId}` : 'globally'}: ${names.map((n) => `/${n}`).join(', ')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `Could not register commands: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exit(1);
  });
}
