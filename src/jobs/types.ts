import type { Reservation } from '../quota/quotaTypes.js';
import type { Estimate } from './eta.js';
import type { Job } from './job.js';

export type { ReplyTarget } from './job.js';

/** A file the member pointed at, as Discord described it (nothing here is trusted). */
export interface AttachmentRef {
  url: string;
  filename: string;
  contentType: string | undefined;
  declaredSize: number;
}

/** A request to make one video, from any source, checked against its model and filled with defaults. */
export interface AnimateRequest {
  model: string;
  guildId: string | null;
  channelId: string;
  userId: string;
  /** The member's Discord locale (the interaction's `locale`), or null: English. */
  locale: string | null;
  image: AttachmentRef;
  audio: AttachmentRef | undefined;
  prompt: string;
  negativePrompt: string | undefined;
  resolution: string;
  durationSeconds: number;
  seed: number | undefined;
  promptExpansion: boolean;
  /** A re-run (Re-roll, Remix, Render final): the job whose picture, already on fal's storage, is reused. */
  sourceJobId?: string | undefined;
  /** Only the member sees the reply and the video; nothing is posted in the channel. */
  privateResult?: boolean | undefined;
  /** Extend (extension.ts): the delivered job this clip continues, and the whole video's length once joined. */
  extension?: { parentJobId: string; totalDurationSeconds: number };
}

export type ProgressPhase = 'preparing' | 'waitingForFal' | 'queued' | 'running' | 'delivering';

export interface ProgressView {
  phase: ProgressPhase;
  queuePosition: number | null;
  elapsedMs: number;
  /** When it should be done and how far along it is; null once fal is done (the video is being fetched). */
  estimate: Estimate | null;
  lastLog: string | null;
  /** Whether the Cancel button can still stop the job (states.ts). */
  cancellable: boolean;
  /** Shown once, while preparing: what the job costs and what is left. */
  reservation?: Reservation;
}

export type Delivery =
  /** `url` is the full-quality file; `fitted` when `bytes` is a smaller copy made to fit the upload limit. */
  | { kind: 'file'; bytes: Buffer; fileName: string; url: string; fitted?: FittedCopy }
  | { kind: 'link'; url: string; sizeBytes: number | null };

/** What a copy re-encoded to fit Discord's upload limit became. */
export interface FittedCopy {
  /** The full-quality file's size. */
  fullBytes: number;
  width: number;
  height: number;
}

/**
 * Hands the finished video to the member. Implemented by src/discord (the jobs
 * part never imports discord.js); it gets the whole job so it can reach the
 * member after a restart. Unlike job events, the runner must know whether it
 * worked: a video that reached nobody is not "delivered".
 */
export interface VideoCourier {
  /** Resolves with where the video now is (when Discord said), for links to it. */
  deliver(job: Job, delivery: Delivery): Promise<DeliveredMessage | undefined>;
  /** A repeat of `earlier` within 24 hours: its video again, with a link to its message, at no cost. */
  deliverRepeat(job: Job, earlier: Job): Promise<DeliveredMessage | undefined>;
}

/** The Discord message that carries a job's video. */
export interface DeliveredMessage {
  channelId: string;
  messageId: string;
}

/** Who pressed Cancel, and whether they moderate the server. */
export interface CancelActor {
  userId: string;
  isModerator: boolean;
}

export type CancelOutcome = 'cancelled' | 'not_found' | 'not_allowed' | 'being_submitted' | 'already_started' | 'already_finished';
