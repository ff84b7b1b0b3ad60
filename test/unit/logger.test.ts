import { Writable } from 'node:stream';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

const TOKEN = 'bot-token.SECRET-1234567890';
const FAL_KEY = 'key-id:SECRET-abcdef';
const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpzZWNyZXQtYml0cw';

function capture(secrets: string[] = [TOKEN, FAL_KEY]) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: 'trace', secrets, destination });
  const last = () => JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;
  return { logger, lines, last };
}

describe('createLogger', () => {
  it.each([
    ['config.discord.token', { config: { discord: { token: TOKEN } } }],
    ['config.fal.key', { config: { fal: { key: FAL_KEY } } }],
    ['headers.authorization', { headers: { authorization: `Bot ${TOKEN}` } }],
    ['request.headers.authorization', { request: { headers: { authorization: `Key ${FAL_KEY}` } } }],
    ['interactionToken', { interactionToken: 'any-shape-of-token' }],
    ['job.interaction_token', { job: { interaction_token: 'any-shape-of-token' } }],
    ['token', { token: 'anything-at-all' }],
    ['falKey', { falKey: 'anything-at-all' }],
  ])('redacts %s by configuration', (path, object) => {
    // Secrets list empty: the redaction paths alone must do it.
    const { logger, last } = capture([]);
    logger.info(object, 'something happened');
    const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], last());
    expect(value).toBe('[redacted]');
  });

  it('scrubs a configured secret from the message and from an error text', () => {
    const { logger, lines } = capture();
    logger.info(`calling with ${TOKEN} and ${FAL_KEY}`);
    logger.error({ err: new Error(`request to https://x.example/?key=${FAL_KEY} failed`) }, 'boom');
    const text = lines.join('\n');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(FAL_KEY);
    // The message, and the error's message and stack.
    expect(text.match(/\[redacted\]/g)).toHaveLength(4);
  });

  it('scrubs interaction tokens, which no list can name, by where they sit and how they look', () => {
    const { logger, lines } = capture([]);
    logger.info(`PATCH /api/v10/webhooks/123456789012345678/${INTERACTION_TOKEN}/messages/@original`);
    logger.info(`POST /api/v10/interactions/123456789012345678/some-other-shaped-token/callback`);
    logger.info({ detail: `token ${INTERACTION_TOKEN} seen` }, 'elsewhere');
    const text = lines.join('\n');
    expect(text).not.toContain(INTERACTION_TOKEN);
    expect(text).not.toContain('some-other-shaped-token');
    expect(text).toContain('/webhooks/123456789012345678/[redacted]/messages/@original');
  });

  it('scrubs a dashboard login code and state from a logged callback URL, and OAuth2 tokens by their names', () => {
    const { logger, lines, last } = capture([]);
    logger.info({ req: { url: '/dashboard/auth/callback?code=NhhvTDYsFcdgNLnnLijcl7Ku7bEEeee&state=abcDEF123' } }, 'incoming request');
    const text = lines.join('\n');
    expect(text).not.toContain('NhhvTDYsFcdgNLnnLijcl7Ku7bEEeee');
    expect(text).not.toContain('abcDEF123');
    expect(text).toContain('/dashboard/auth/callback?code=[redacted]&state=[redacted]');
    logger.info({ grant: { access_token: 'user-token', refresh_token: 'the-refresh-value' }, session: { accessToken: 'user-token' } }, 'login');
    expect(JSON.stringify(last())).not.toContain('user-token');
    expect(JSON.stringify(last())).not.toContain('the-refresh-value');
  });

  it("logs a failed Discord request without the token in its URL or the bytes of its files", () => {
    const { logger, lines, last } = capture([]);
    const url = `https://discord.com/api/v10/webhooks/123456789012345678/${INTERACTION_TOKEN}/messages/%40original`;
    const video = Buffer.alloc(200_000, 7);
    const error = new DiscordAPIError(
      { message: 'Invalid Form Body', code: 50035 },
      50035,
      400,
      'PATCH',
      url,
      { files: [{ name: 'clip.mp4', data: video, contentType: 'video/mp4' }], body: { content: 'hi' } },
    );
    logger.warn({ err: error }, 'final edit failed');
    const line = lines.at(-1)!;
    expect(line).not.toContain(INTERACTION_TOKEN);
    expect(line.length).toBeLessThan(5_000);
    const err = last().err as { url: string; code: number; requestBody: { files: unknown[] } };
    expect(err.code).toBe(50035);
    expect(err.url).toContain('/webhooks/123456789012345678/[redacted]/');
    expect(err.requestBody.files).toEqual([{ name: 'clip.mp4', contentType: 'video/mp4', bytes: 200_000 }]);
  });

  it('leaves ordinary lines alone', () => {
    const { logger, last } = capture();
    logger.info({ jobId: 'job-1', state: 'queued' }, 'job state changed');
    expect(last()).toMatchObject({ jobId: 'job-1', state: 'queued', msg: 'job state changed' });
  });
});
