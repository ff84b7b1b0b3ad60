import type { JobState } from './states.js';

/** How to reach the member again: the interaction's webhook, valid for 15 minutes (PROTOCOLS.md §3). */
export interface ReplyTarget {
  applicationId: string;
  interactionId: string;
  token: string;
  /** When the token stops working for edits. */
  expiresAt: number;
  /** The largest upload the interaction's channel takes, in bytes. */
  attachmentSizeLimit: number;
  /** The bot's permissions in the channel (a bitfield as text), when Discord sent them. */
  appPermissions: string | null;
}

/**
 * One `/animate` job as the pipeline sees it: typed, camel-cased, money in
 * cents. The store's row stays inside the repository (jobRepository.ts).
 */
export interface Job {
  id: string;
  state: JobState;
  /** The id of the model in src/fal/models that makes the video. */
  model: string;
  guildId: string | null;
  channelId: string;
  userId: string;
  reply: ReplyTarget;
  /** The member's Discord locale ('de', 'en-US'…): what they read is in that language (src/i18n). Null: English. */
  locale: string | null;
  prompt: string;
  negativePrompt: string | null;
  resolution: string;
  durationSeconds: number;
  seed: number | null;
  promptExpansion: boolean;
  /** Where the member's files were (Discord's CDN), and where fal's storage has them once prepared. */
  imageSourceUrl: string;
  audioSourceUrl: string | null;
  imageUrl: string | null;
  audioUrl: string | null;
  costCents: number;
  requestId: string | null;
  queuePosition: number | null;
  lastLog: string | null;
  videoUrl: string | null;
  videoBytes: number | null;
  resultSeed: number | null;
  actualPrompt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** Set with the final state: whether the member paid. Null while unfinished. */
  charged: boolean | null;
  /** The member's reply in Discord (its message id), once the acknowledgement said it. */
  replyMessageId: string | null;
  /** What was done to the member's picture so the model takes it, in one line; null when nothing was. */
  imageNote: string | null;
  /** Extend: the delivered job whose video this one continues from its last frame; null for a new video. */
  parentJobId: string | null;
  /** The length of the video this job delivers: its own clip plus every clip it extends. */
  totalDurationSeconds: number;
  /** An extension's joined video, uploaded to fal's storage: what it delivers. Null otherwise. */
  fullVideoUrl: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
  startedAt: number | null;
  /** When fal said COMPLETED: started → completed is the time fal spent making the video. */
  completedAt: number | null;
  finishedAt: number | null;
  /** A re-run (Re-roll, Remix, Render final): the job whose picture, already on fal's storage, it reuses. */
  sourceJobId: string | null;
  /** sha256 (hex) of the picture's bytes as downloaded: with the options and an explicit seed, it identifies a repeat. */
  imageSha256: string | null;
  /** Where the final message with the video is, for a link to it. */
  deliveredChannelId: string | null;
  deliveredMessageId: string | null;
  /** The member keeps their results private: the reply is ephemeral and nothing is posted in the channel. */
  privateResult: boolean;
}

/** A new job: what intake knows before anything ran (an extension also names its parent and whole length). */
export type NewJob = Partial<Pick<Job, 'parentJobId' | 'totalDurationSeconds'>> &
  Pick<
  Job,
  | 'id'
  | 'model'
  | 'guildId'
  | 'channelId'
  | 'userId'
  | 'reply'
  | 'prompt'
  | 'negativePrompt'
  | 'resolution'
  | 'durationSeconds'
  | 'seed'
  | 'promptExpansion'
  | 'imageSourceUrl'
  | 'audioSourceUrl'
  | 'costCents'
> &
  /** Left out: English, not a re-run, public. */
  Partial<Pick<Job, 'locale' | 'sourceJobId' | 'privateResult'>>;

/** Fields a transition may set along with the state. */
export type JobChanges = Partial<
  Pick<
    Job,
    | 'imageUrl'
    | 'audioUrl'
    | 'imageSha256'
    | 'deliveredChannelId'
    | 'deliveredMessageId'
    | 'requestId'
    | 'queuePosition'
    | 'lastLog'
    | 'videoUrl'
    | 'videoBytes'
    | 'resultSeed'
    | 'actualPrompt'
    | 'errorCode'
    | 'errorMessage'
    | 'charged'
    | 'replyMessageId'
    | 'submittedAt'
    | 'startedAt'
    | 'completedAt'
    | 'finishedAt'
    | 'imageNote'
    | 'fullVideoUrl'
  >
>;

/** Jobs whose timings are comparable: same model, resolution and duration. */
export type TimingKind = Pick<Job, 'model' | 'resolution' | 'durationSeconds'>;

/** How long fal took with one delivered job. */
export interface JobTiming {
  /** Submitted → started: waiting in fal's line. */
  queueMs: number;
  /** Started → completed: making the video. */
  runMs: number;
}
