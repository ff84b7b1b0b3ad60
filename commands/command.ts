import type {
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Config } from '../src/config/config.js';
import type { ModelRegistry } from '../src/fal/models/registry.js';
import type { Jobs } from '../src/jobs/jobs.js';
import type { QuotaAdmin } from '../src/quota/quotaTypes.js';

/** What a command handler may use: the pipeline, never SQL or HTTP directly. */
export interface CommandContext {
  config: Config;
  jobs: Jobs;
  models: ModelRegistry;
  /** Quota rules and usage for `/quota` and `/usage`. */
  quota: QuotaAdmin;
  logger: Logger;
}

export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
}
