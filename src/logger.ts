import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Secrets are redacted by configuration, not by care: any of these paths in a
 * log object is replaced before it is written. Interaction tokens are
 * credentials too (they let anyone edit the bot's reply for 15 minutes).
 */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'interactionToken',
  '*.interactionToken',
  'interaction_token',
  '*.interaction_token',
  'config.discord.token',
  'config.fal.key',
  'falKey',
  '*.falKey',
  'key',
  '*.key',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.Authorization',
  '*.headers.Authorization',
  'DISCORD_TOKEN',
  'FAL_KEY',
];

export interface LoggerOptions {
  level: string;
  /** Extra strings to scrub from every line (the token and key themselves). */
  secrets?: readonly string[];
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 8);
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Belt and braces: a secret that slips into a message or an error text
      // (e.g. a URL a library built) is scrubbed from the serialized line too.
      hooks: secrets.length
        ? {
            streamWrite: (line) => secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), line),
          }
        : {},
    },
    options.destination,
  );
}
