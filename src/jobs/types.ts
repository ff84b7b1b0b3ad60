import type { DurationSeconds, Resolution } from '../config/config.js';
import type { Reservation } from '../quota/quotaTypes.js';
import type { JobRow } from '../store/schema.js';

/** A file the member attached, as Discord described it (nothing here is trusted). */
export interface AttachmentRef {
  url: string;
  filename: string;
  contentType: string | undefined;
  declaredSize: number;
}

/** What `/animate` asks for, already parsed from the interaction's options. */
export interface AnimateRequest {
  guildId: string | null;
  channelId: string;
  userId: string;
  image: AttachmentRef;
  audio: AttachmentRef | undefined;
  prompt: string;
  negativePrompt: string | undefined;
  resolution: Resolution;
  duration: DurationSeconds;
  seed: number | undefined;
  promptExpansion: boolean;
}

/** How to reach the member again: the interaction's webhook, valid for 15 minutes. */
export interface ReplyTarget {
  applicationId: string;
  interactionId: string;
  token: string;
  expiresAt: number;
  attachmentSizeLimit: number;
  appPermissions: string | null;
}

export type ProgressPhase = 'preparing' | 'submitted' | 'queued' | 'running' | 'delivering';

export interface ProgressView {
  phase: ProgressPhase;
  queuePosition: number | null;
  elapsedMs: number;
  /** Best guess of the time left, or null when there is nothing to go on. */
  etaMs: number | null;
  lastLog: string | null;
  /** Shown once, while preparing: what the job costs and what is left. */
  reservation?: Reservation;
}

/** A job whose cost is reserved; from here it may spend money. */
export interface AcceptedJob {
  job: JobRow;
  reservation: Reservation;
}

export type Delivery =
  | { kind: 'file'; bytes: Buffer; fileName: string; url: string }
  | { kind: 'link'; url: string; sizeBytes: number | null };

/**
 * The jobs part's only window on the member. Implemented by src/discord; the
 * jobs part never imports discord.js. Methods get the whole job row so an
 * implementation can reach the member after a restart.
 */
export interface JobNotifier {
  /** Fire and forget: implementations throttle and drop stale views. */
  progress(job: JobRow, view: ProgressView): void;
  delivered(job: JobRow, delivery: Delivery): Promise<void>;
  failed(job: JobRow, memberMessage: string): Promise<void>;
  cancelled(job: JobRow, cancelledBy: string): Promise<void>;
}

export type CancelOutcome = 'cancelled' | 'not_found' | 'not_allowed' | 'being_submitted' | 'already_started' | 'already_finished';
