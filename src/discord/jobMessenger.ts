import {
  DiscordAPIError,
  PermissionFlagsBits,
  PermissionsBitField,
  RESTJSONErrorCodes,
  Routes,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type REST,
  type RawFile,
} from 'discord.js';
import type { Logger } from 'pino';
import { sleep } from '../util/sleep.js';
import type { DeliveredMessage, Delivery, ProgressView, VideoCourier } from '../jobs/types.js';
import type { Job } from '../jobs/job.js';
import type { MemberNotifier } from '../jobs/memberUpdates.js';
import { cancelButtonRow, resultButtonRows, type ResultButton } from './components.js';
import {
  cancelLabel,
  renderCancelled,
  renderDelivered,
  renderDmReason,
  renderFailed,
  renderOpenVideo,
  renderProgress,
  renderRepeat,
} from './format.js';
import { EditPace } from './editPace.js';
import { ThrottledEditor } from './throttledEditor.js';

interface MessagePayload {
  content: string;
  embeds?: unknown[];
  files?: RawFile[];
  components?: Array<APIActionRowComponent<APIComponentInMessageActionRow>>;
}

/** The last word on a job, plus the link-only variant to fall back on when a file cannot be sent. */
interface FinalMessage {
  payload: MessagePayload;
  linkOnly?: MessagePayload;
}

/** Discord error codes meaning the interaction token no longer works (PROTOCOLS.md §4). */
const EXPIRED_TOKEN_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.InvalidWebhookToken,
  RESTJSONErrorCodes.UnknownWebhook,
  RESTJSONErrorCodes.UnknownInteraction,
]);
/** Discord refused the upload itself: too large or not allowed. The link still works. */
const UPLOAD_REFUSED_CODES: ReadonlySet<number> = new Set([RESTJSONErrorCodes.RequestEntityTooLarge, RESTJSONErrorCodes.MissingPermissions]);
/** Stop using the interaction token this long before Discord's 15-minute expiry. */
const TOKEN_SAFETY_MARGIN_MS = 60_000;
const FINAL_EDIT_ATTEMPTS = 3;
/**
 * Progress edits of all jobs together per second: well under the 50 requests a
 * second discord.js allows the bot, so final messages, refusals and channel
 * posts never queue behind progress (EditPace).
 */
const PROGRESS_EDITS_PER_SECOND = 20;
/** What the bot needs in a channel to post the video there with its own token. */
const CHANNEL_POST = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;

export interface JobMessengerOptions {
  rest: REST;
  logger: Logger;
  editIntervalMs: number;
  now: () => number;
  /**
   * The Cancel button's custom id for a job. The format belongs to the
   * handler that reads it (commands/cancelJob.ts); the composition root
   * passes it in, so nothing here imports commands/.
   */
  cancelButtonId: (jobId: string) => string;
  /**
   * The buttons under a finished video (Re-roll, Remix…), listed and given
   * their custom ids by commands/resultButtons.ts, passed in the same way.
   */
  resultButtons?: (job: Job) => Promise<readonly ResultButton[]>;
  /** Backoff between attempts at the final edit (tests shorten it). */
  retryDelayMs?: number;
  /** Progress edits of all jobs together, per second (default PROGRESS_EDITS_PER_SECOND). */
  progressEditsPerSecond?: number;
}

/** Discord's answer to a message post or edit: the parts a link needs. */
interface MessageResponse {
  id?: unknown;
  channel_id?: unknown;
}

/**
 * Speaks to the member about a job, from stored ids only (so it works the same
 * after a restart): progress edits throttled per reply, then one final edit
 * with the video or the outcome. The final word must arrive, so it has a
 * ladder of fallbacks: retry the edit; send the link when Discord refuses the
 * file; when the interaction token has expired, post in the channel with the
 * bot token mentioning only the requester (link instead of file without Attach
 * Files); when the channel is gone or closed to the bot, send a DM that says
 * why it came there.
 */
export class JobMessenger implements VideoCourier, MemberNotifier {
  private readonly editors = new Map<string, ThrottledEditor<MessagePayload>>();
  private readonly pace: EditPace;

  constructor(private readonly options: JobMessengerOptions) {
    this.pace = new EditPace(options.progressEditsPerSecond ?? PROGRESS_EDITS_PER_SECOND);
  }

  progress(job: Job, view: ProgressView): void {
    if (this.tokenExpired(job)) return;
    this.editorFor(job).push({
      content: renderProgress(job, view),
      components: view.cancellable ? [cancelButtonRow(this.options.cancelButtonId(job.id), cancelLabel(job))] : [],
    });
  }

  async deliver(job: Job, delivery: Delivery): Promise<DeliveredMessage | undefined> {
    const components = await this.resultComponents(job);
    const link: Delivery = { kind: 'link', url: delivery.url, sizeBytes: delivery.kind === 'link' ? delivery.sizeBytes : delivery.bytes.length };
    const linkOnly: MessagePayload = { ...linkPayload(job, link), components };
    if (delivery.kind === 'link') {
      return this.finish(job, { payload: linkOnly });
    }
    const payload: MessagePayload = {
      content: renderDelivered(job, delivery),
      files: [{ name: delivery.fileName, data: delivery.bytes, contentType: 'video/mp4' }],
      components,
    };
    return this.finish(job, { payload, linkOnly });
  }

  async deliverRepeat(job: Job, earlier: Job): Promise<DeliveredMessage | undefined> {
    const components = await this.resultComponents(job);
    const video = earlier.videoUrl ? `\n${earlier.videoUrl}` : '';
    return this.finish(job, { payload: { content: `${renderRepeat(job, earlier)}${video}`.slice(0, 2000), components } });
  }

  /** The buttons under a finished video; a failure to work them out costs the buttons, never the video. */
  private async resultComponents(job: Job): Promise<MessagePayload['components']> {
    if (!this.options.resultButtons) return [];
    try {
      return resultButtonRows(await this.options.resultButtons(job));
    } catch (error) {
      this.options.logger.warn({ err: error, jobId: job.id }, 'could not work out the buttons of a finished video');
      return [];
    }
  }

  async failed(job: Job, memberMessage: string): Promise<void> {
    await this.finish(job, { payload: { content: renderFailed(job, memberMessage) } });
  }

  async cancelled(job: Job, cancelledBy: string): Promise<void> {
    await this.finish(job, { payload: { content: renderCancelled(job, cancelledBy) } });
  }

  private editorFor(job: Job): ThrottledEditor<MessagePayload> {
    let editor = this.editors.get(job.id);
    if (!editor) {
      editor = new ThrottledEditor<MessagePayload>(
        async (payload) => {
          await this.editOriginal(job, payload);
        },
        this.options.editIntervalMs,
        this.options.now,
        (error) => this.options.logger.warn({ err: error, jobId: job.id }, 'progress edit failed'),
        this.pace,
      );
      this.editors.set(job.id, editor);
    }
    return editor;
  }

  private async finish(job: Job, message: FinalMessage): Promise<DeliveredMessage | undefined> {
    const editor = this.editors.get(job.id);
    this.editors.delete(job.id);
    // Stale progress must not land after (or delay) the last word.
    await editor?.close();
    const log = this.options.logger.child({ jobId: job.id });
    let payload = message.payload;
    for (let attempt = 1; attempt <= FINAL_EDIT_ATTEMPTS; attempt += 1) {
      try {
        return deliveredMessageOf(await this.editOriginal(job, payload), job.channelId);
      } catch (error) {
        if (error instanceof ExpiredToken || hasCode(error, EXPIRED_TOKEN_CODES)) {
          log.info('interaction token expired; delivering in the channel');
          break;
        }
        if (message.linkOnly && payload !== message.linkOnly && hasCode(error, UPLOAD_REFUSED_CODES)) {
          log.info({ err: error }, 'Discord refused the upload; sending the link instead');
          payload = message.linkOnly;
          attempt -= 1;
          continue;
        }
        log.warn({ err: error, attempt }, 'final edit failed');
        if (attempt < FINAL_EDIT_ATTEMPTS) await sleep((this.options.retryDelayMs ?? 1_000) * attempt);
      }
    }
    return this.sendToChannelOrDm(job, message);
  }

  private tokenExpired(job: Job): boolean {
    return this.options.now() > job.reply.expiresAt - TOKEN_SAFETY_MARGIN_MS;
  }

  private async editOriginal(job: Job, payload: MessagePayload): Promise<MessageResponse | undefined> {
    if (this.tokenExpired(job)) throw new ExpiredToken();
    const route = Routes.webhookMessage(job.reply.applicationId, job.reply.token, '@original');
    return (await this.options.rest.patch(route, {
      auth: false,
      body: {
        content: payload.content,
        embeds: payload.embeds ?? [],
        components: payload.components ?? [],
        allowed_mentions: { parse: [] },
        attachments: (payload.files ?? []).map((file, index) => ({ id: index, filename: file.name })),
      },
      ...(payload.files ? { files: payload.files } : {}),
    })) as MessageResponse | undefined;
  }

  private async sendToChannelOrDm(job: Job, message: FinalMessage): Promise<DeliveredMessage | undefined> {
    const log = this.options.logger.child({ jobId: job.id });
    const permissions = new PermissionsBitField(BigInt(job.reply.appPermissions ?? '0'));
    // A private result is never posted where others can see it.
    const canPost = !job.privateResult && (job.reply.appPermissions === null || permissions.has(CHANNEL_POST));
    const canAttach = job.reply.appPermissions === null || permissions.has(PermissionFlagsBits.AttachFiles);
    const inChannel = canAttach || !message.linkOnly ? message.payload : message.linkOnly;
    if (canPost) {
      try {
        return await this.post(job.channelId, job, inChannel, `<@${job.userId}>`);
      } catch (error) {
        log.warn({ err: error }, 'could not post in the channel; trying a DM');
      }
    }
    const dm = (await this.options.rest.post(Routes.userChannels(), { body: { recipient_id: job.userId } })) as { id: string };
    const posted = await this.post(dm.id, job, message.payload, renderDmReason(job));
    log.info('delivered the final message by DM');
    return posted;
  }

  private async post(channelId: string, job: Job, payload: MessagePayload, prefix: string): Promise<DeliveredMessage | undefined> {
    const response = (await this.options.rest.post(Routes.channelMessages(channelId), {
      body: {
        content: `${prefix}\n${payload.content}`.slice(0, 2000),
        embeds: payload.embeds ?? [],
        components: payload.components ?? [],
        allowed_mentions: { parse: [], users: [job.userId] },
        attachments: (payload.files ?? []).map((file, index) => ({ id: index, filename: file.name })),
      },
      ...(payload.files ? { files: payload.files } : {}),
    })) as MessageResponse | undefined;
    return deliveredMessageOf(response, channelId);
  }
}

function deliveredMessageOf(response: MessageResponse | undefined, fallbackChannelId: string): DeliveredMessage | undefined {
  if (typeof response?.id !== 'string') return undefined;
  return { channelId: typeof response.channel_id === 'string' ? response.channel_id : fallbackChannelId, messageId: response.id };
}

function linkPayload(job: Job, link: Extract<Delivery, { kind: 'link' }>): MessagePayload {
  return {
    content: `${renderDelivered(job, link)}\n${link.url}`.slice(0, 2000),
    embeds: [
      {
        title: renderOpenVideo(job),
        url: link.url,
        description: link.sizeBytes !== null ? `MP4 · ${(link.sizeBytes / 1024 / 1024).toFixed(1)} MB` : 'MP4',
        color: 0x5865f2,
      },
    ],
  };
}

class ExpiredToken extends Error {
  constructor() {
    super('interaction token expired');
  }
}

function hasCode(error: unknown, codes: ReadonlySet<number>): boolean {
  return error instanceof DiscordAPIError && typeof error.code === 'number' && codes.has(error.code);
}
