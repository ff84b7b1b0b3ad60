import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { WebhookVerifier } from '../fal/webhookVerifier.js';
import type { FalHints } from '../jobs/falHints.js';
import type { HttpPlugin } from './server.js';

/** Where fal calls: `<PUBLIC_URL>/fal/webhook` is sent with every submit. */
export const FAL_WEBHOOK_PATH = '/fal/webhook';

const webhookBodySchema = z.object({ request_id: z.string().min(1), status: z.string() }).loose();

/**
 * fal's webhook (PROTOCOLS.md §2). An unverified call is answered 401 and
 * logged, and changes nothing. A verified one wakes the request's tracker,
 * which confirms through the queue API; repeats (fal retries up to 10 times)
 * are answered 200 and change nothing.
 */
export function falWebhookRoute(deps: { verifier: WebhookVerifier; hints: FalHints; logger: Logger }): HttpPlugin {
  return async (app: FastifyInstance) => {
    // The signature covers the exact bytes: keep the body raw (this plugin's scope only).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));

    app.post(FAL_WEBHOOK_PATH, async (request, reply) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let verdict;
      try {
        verdict = await deps.verifier.verify(request.headers, rawBody);
      } catch (error) {
        // fal's keys could not be read: fal retries later, so say so rather than 401.
        deps.logger.warn({ err: error }, 'could not check a fal webhook: keys unavailable');
        return reply.code(503).send({ error: 'cannot verify now' });
      }
      if (!verdict.ok) {
        deps.logger.warn({ reason: verdict.reason, ip: request.ip }, 'rejected a fal webhook that failed verification');
        return reply.code(401).send({ error: 'unverified' });
      }
      const body = webhookBodySchema.safeParse(parseJson(rawBody));
      if (!body.success || body.data.request_id !== verdict.requestId) {
        deps.logger.warn({ requestId: verdict.requestId }, "rejected a fal webhook whose body does not match its signed request id");
        return reply.code(400).send({ error: 'bad body' });
      }
      const outcome = deps.hints.hint(verdict.requestId);
      deps.logger.info({ requestId: verdict.requestId, status: body.data.status, outcome }, 'fal webhook received');
      return reply.code(200).send({ ok: true });
    });
  };
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
