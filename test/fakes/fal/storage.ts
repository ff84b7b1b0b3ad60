// The fake's storage API: initiate, then PUT the bytes; the file then lives on the CDN (PROTOCOLS.md §2).
import { randomUUID } from 'node:crypto';
import { cdnUrl, type FakeCdn } from './cdn.js';
import type { FalErrorResponse } from './errors.js';
import { createGate, type Gate } from './gate.js';
import { isAuthorised, sendError, sendJson, type FakeRoute, type IncomingCall } from './http.js';

export interface FakeUpload {
  fileUrl: string;
  contentType: string;
  fileName: string;
  bytes: Buffer;
}

export interface FakeStorage {
  readonly routes: FakeRoute[];
  /** Completed uploads (initiate + PUT). */
  readonly uploads: FakeUpload[];
  /** Storage uploads (the PUT) wait, unanswered and not yet stored, until releaseUploads(). */
  holdUploads(): void;
  releaseUploads(): void;
  /** The next `times` storage uploads (the PUT) answer this. */
  failUploads(response: FalErrorResponse, times?: number): void;
}

interface PendingUpload {
  fileUrl: string;
  cdnPath: string;
  contentType: string;
  fileName: string;
}

/** `baseUrl` is the fake's own address: the upload URL the initiate hands out points back at it. */
export function createFakeStorage(options: { baseUrl: string; cdn: FakeCdn }): FakeStorage {
  const pending = new Map<string, PendingUpload>();
  const uploads: FakeUpload[] = [];
  const failures: FalErrorResponse[] = [];
  let held: Gate | undefined;

  function initiate(incoming: IncomingCall): void {
    if (!isAuthorised(incoming)) return;
    const body = incoming.call.json as { content_type?: unknown; file_name?: unknown } | undefined;
    if (typeof body?.content_type !== 'string' || typeof body.file_name !== 'string') {
      sendJson(incoming.res, 422, {
        detail: [{ loc: ['body'], msg: 'content_type and file_name are required', type: 'missing' }],
      });
      return;
    }
    const id = randomUUID().replaceAll('-', '');
    const cdnPath = `/files/uploads/${id}/${encodeURIComponent(body.file_name)}`;
    const fileUrl = cdnUrl(cdnPath);
    pending.set(id, { fileUrl, cdnPath, contentType: body.content_type, fileName: body.file_name });
    sendJson(incoming.res, 200, { upload_url: `${options.baseUrl}/storage/upload/put/${id}`, file_url: fileUrl });
  }

  // The PUT carries no Authorization header: the upload URL is the credential (PROTOCOLS.md §2).
  async function put({ res, body, match }: IncomingCall): Promise<void> {
    if (held) await held.opened;
    const failure = failures.shift();
    if (failure) {
      sendError(res, failure);
      return;
    }
    const upload = pending.get(match[1] ?? '');
    if (!upload) {
      sendJson(res, 404, { detail: 'Upload not initiated' });
      return;
    }
    options.cdn.publish(upload.cdnPath, { bytes: body, contentType: upload.contentType });
    uploads.push({ fileUrl: upload.fileUrl, contentType: upload.contentType, fileName: upload.fileName, bytes: body });
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  }

  return {
    routes: [
      { kind: 'initiate', methods: ['POST'], pattern: /^\/storage\/upload\/initiate$/, handle: initiate },
      { kind: 'upload', methods: ['PUT'], pattern: /^\/storage\/upload\/put\/([\w-]+)$/, handle: put },
    ],
    uploads,
    holdUploads() {
      held ??= createGate();
    },
    releaseUploads() {
      held?.open();
      held = undefined;
    },
    failUploads(response, times = 1) {
      for (let i = 0; i < times; i += 1) failures.push(response);
    },
  };
}
