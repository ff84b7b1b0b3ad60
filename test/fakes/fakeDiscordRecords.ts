// What the fake Discord records: every HTTP call, and per interaction the
// answers the bot gave. A file of its own so that fakeDiscordRest.ts (which
// records) and fakeDiscord.ts (which hands the records to tests) do not import
// each other.
import type { UploadedFile } from './fakeDiscordHttp.js';

export interface RecordedDiscordCall {
  method: string;
  /** URL-decoded path, e.g. `/api/v10/webhooks/APP/TOKEN/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON (for multipart: the parsed `payload_json`); text otherwise; undefined when empty. */
  body: unknown;
  files: UploadedFile[];
  /** The status the fake answered with. */
  status: number;
  at: number;
}

export interface InteractionEvent {
  /** Only requests the fake accepted (2xx) become events; injected failures and 429s do not. */
  kind: 'callback' | 'edit' | 'followup' | 'delete';
  /** For callbacks: 4 reply, 5 defer, 6 deferred update, 7 update, 9 modal. */
  callbackType?: number;
  /** Callback: the whole `{ type, data }`; edit/follow-up: the message body; delete: undefined. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary Discord JSON
  body: any;
  files: UploadedFile[];
  /** For edit/delete: the message as the bot named it (`@original` or an id); for follow-ups: the new id. */
  messageId?: string;
  at: number;
}
