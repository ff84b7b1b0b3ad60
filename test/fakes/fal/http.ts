// What the parts of the fake fal share on the wire: the recorded call, the route shape, JSON and error answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FalErrorResponse } from './errors.js';

export type FakeFalCallKind = 'submit' | 'status' | 'result' | 'cancel' | 'initiate' | 'upload' | 'cdn' | 'jwks';

export interface RecordedFalCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  json: unknown;
  bodyBytes: number;
  /** Response status; for the status stream, the status it started with. */
  status: number;
  at: number;
}

/** One request as a route's handler sees it. */
export interface IncomingCall {
  req: IncomingMessage;
  res: ServerResponse;
  call: RecordedFalCall;
  body: Buffer;
  /** The route's pattern matched against the path: groups carry ids. */
  match: RegExpExecArray;
}

/** A route one part of the fake (queue, storage, CDN) serves. */
export interface FakeRoute {
  kind: FakeFalCallKind;
  methods: readonly string[];
  pattern: RegExp;
  /** A held answer returns a promise: the call's status is recorded once it settles. */
  handle(incoming: IncomingCall): void | Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: FalErrorResponse, headers: Record<string, string> = {}): void {
  if (error.body === undefined) {
    res.writeHead(error.status, { 'content-length': 0, ...headers, ...error.headers });
    res.end();
    return;
  }
  sendJson(res, error.status, error.body, { ...headers, ...error.headers });
}

/** Queue and initiate calls carry `Authorization: Key <FAL_KEY>` (PROTOCOLS.md §2); without it fal answers 401. */
export function isAuthorised({ call, res }: IncomingCall): boolean {
  if (/^Key \S+$/.test(call.headers.authorization ?? '')) return true;
  sendJson(res, 401, { detail: 'Unauthorized' });
  return false;
}
