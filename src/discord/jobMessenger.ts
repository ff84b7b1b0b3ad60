import { DiscordAPIError, Routes, type REST, type RawFile } from 'discord.js';
import type { Logger } from 'pino';
import type { Delivery, JobNotifier, ProgressView } from '../jobs/types.js';
import type { JobRow } from '../store/schema.js';
import { renderDelivered, renderFailed, renderProgress } from './format.js';
import { ThrottledEditor } from './throttledEditor.js';

interface MessagePayload {
  content: string;
  embeds?: unknown[];
  files?: RawFile[];
}

/** Discord error codes meaning the interaction token no longer works. */
const EXPIRED_TOKEN_CODES = new Set([50027, 10015, 10062]);
/** Stop using the interaction token this long before Discord's 15-minute expiry. */
const TOKEN_SAFETY_MARGIN_MS = 60_000;

export interface JobMessengerOptions {
  rest: REST;
  logger: Logger;
  editIntervalMs: number;
  now: () => number;
}

/**
 * Speaks to the member about a job, from stored ids only (so it works the same
 * after a restart): progress edits throttled per reply, then one final edit
 * with the video or the failure. When the interaction token has expired, the
 * final word goes to the channel with the bot token, mentioning only the
 * requester, and failing that to a DM.
 */
export class JobMessenger implements JobNotifier {
  private readonly editors = new Map<string, ThrottledEditor<MessagePayload>>();

  constructor(private readonly options: JobMessengerOptions) {}

  progress(job: JobRow, view: ProgressView): void {
    if (this.tokenExpired(job)) return;
    this.editorFor(job).push({ content: renderProgress(job, view) });
  }

  async delivered(job: JobRow, delivery: Delivery): Promise<void> {
    const content = renderDelivered(job, delivery);
    const payload: MessagePayload =
      delivery.kind === 'file'
        ? { content, files: [{ name: delivery.fileName, data: delivery.bytes, contentType: 'video/mp4' }] }
        : {
            content,
            embeds: [
              {
                title: '▶️ Open your video',
                url: delivery.url,
                description:
                  delivery.sizeBytes !== null ? `MP4 · ${(delivery.sizeBytes / 1024 / 1024).toFixed(1)} MB` : 'MP4',
                color: 0x5865f2,
              },
            ],
          };
    await this.finish(job, payload);
  }

  async failed(job: JobRow, memberMessage: string): Promise<void> {
    await this.finish(job, { content: renderFailed(job, memberMessage) });
  }

  private editorFor(job: JobRow): ThrottledEditor<MessagePayload> {
    let editor = this.editors.get(job.id);
    if (!editor) {
      editor = new ThrottledEditor<MessagePayload>(
        (payload) => this.editOriginal(job, payload),
        this.options.editIntervalMs,
        this.options.now,
        (error) => this.options.logger.warn({ err: error, jobId: job.id }, 'progress edit failed'),
      );
      this.editors.set(job.id, editor);
    }
    return editor;
  }

  private async finish(job: JobRow, payload: MessagePayload): Promise<void> {
    const editor = this.editorFor(job);
    this.editors.delete(job.id);
    await editor.finish(payload).catch(async (error: unknown) => {
      if (!(error instanceof ExpiredToken) && !isExpiredTokenError(error)) throw error;
      this.options.logger.info({ jobId: job.id }, 'interaction token expired; delivering in the channel');
      await this.sendToChannelOrDm(job, payload);
    });
  }

  private tokenExpired(job: JobRow): boolean {
    return this.options.now() > job.interaction_expires_at - TOKEN_SAFETY_MARGIN_MS;
  }

  private async editOriginal(job: JobRow, payload: MessagePayload): Promise<void> {
    if (this.tokenExpired(job)) throw new ExpiredToken();
    const route = Routes.webhookMessage(job.application_id, job.interaction_token, '@original');
    await this.options.rest.patch(route, {
      auth: false,
      body: {
        content: payload.content,
        embeds: payload.embeds ?? [],
        allowed_mentions: { parse: [] },
        attachments: (payload.files ?? []).map((file, index) => ({ id: index, filename: file.name })),
      },
      ...(payload.files ? { files: payload.files } : {}),
    });
  }

  private async sendToChannelOrDm(job: JobRow, payload: MessagePayload): Promise<void> {
    const body = {
      content: `<@${job.user_id}> ${payload.content}`.slice(0, 2000),
      embeds: payload.embeds ?? [],
      allowed_mentions: { parse: [], users: [job.user_id] },
      attachments: (payload.files ?? []).map((file, index) => ({ id: index, filename: file.name })),
    };
    const files = payload.files ? { files: payload.files } : {};
    try {
      await this.options.rest.post(Routes.channelMessages(job.channel_id), { body, ...files });
    } catch (channelError) {
      this.options.logger.warn({ err: channelError, jobId: job.id }, 'could not post in the channel; trying a DM');
      const dm = (await this.options.rest.post(Routes.userChannels(), { body: { recipient_id: job.user_id } })) as { id: string };
      await this.options.rest.post(Routes.channelMessages(dm.id), { body, ...files });
    }
  }
}

class ExpiredToken extends Error {
  constructor() {
    super('interaction token expired');
  }
}

function isExpiredTokenError(error: unknown): boolean {
  return error instanceof DiscordAPIError && typeof error.code === 'number' && EXPIRED_TOKEN_CODES.has(error.code);
}
