import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

/**
 * Secrets are redacted by configuration, not by care: any of these paths in a
 * log object is replaced before it is written. Interaction tokens are
 * credentials too (they let anyone edit the bot's reply for 15 minutes).
 */
const REDACTED_PATHS = [
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

/**
 * Interaction tokens travel in webhook URLs, and discord.js puts the URL of a
 * failed request on its errors (`DiscordAPIError.url`, stack traces, messages).
 * They are per interaction, so no list of secrets can name them: they are
 * recognised by where they sit and by Discord's prefix (base64 "interaction:").
 */
const INTERACTION_TOKEN_IN_PATH = /(\/(?:webhooks|interactions)\/\d+\/)[^/?#\s"'\\]+/g;
const INTERACTION_TOKEN = /aW50ZXJhY3Rpb246[\w-]+/g;
const REDACTED = '[redacted]';

export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 8);
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: REDACTED },
      serializers: { err: serializeError },
      hooks: {
        // Belt and braces: a secret that slips into a message or an error text
        // (e.g. a URL a library built) is scrubbed from the serialized line too.
        streamWrite: (line) => scrub(line, secrets),
      },
    },
    options.destination,
  );
}

/** The line with every configured secret and every interaction token replaced. */
function scrub(line: string, secrets: readonly string[]): string {
  const withoutSecrets = secrets.reduce((text, secret) => text.split(secret).join(REDACTED), line);
  return withoutSecrets.replace(INTERACTION_TOKEN_IN_PATH, `$1${REDACTED}`).replace(INTERACTION_TOKEN, REDACTED);
}

interface RawFileLike {
  name?: unknown;
  contentType?: unknown;
  data?: unknown;
}

/**
 * pino's error serializer, minus the bytes of uploads: a failed Discord request
 * carries its `requestBody.files`, and a 10 MB video would otherwise be written
 * to the log as a 40 MB JSON array of numbers.
 */
function serializeError(error: unknown): unknown {
  const serialized = stdSerializers.err(error as Error) as unknown;
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  const requestBody = (serialized as { requestBody?: { files?: unknown } }).requestBody;
  if (!requestBody || !Array.isArray(requestBody.files)) return serialized;
  const files = (requestBody.files as RawFileLike[]).map((file) => ({
    name: file.name,
    contentType: file.contentType,
    bytes: Buffer.isBuffer(file.data) || typeof file.data === 'string' ? file.data.length : undefined,
  }));
  return { ...serialized, requestBody: { ...requestBody, files } };
}
