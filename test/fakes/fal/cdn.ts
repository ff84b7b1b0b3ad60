// The fake's CDN (v3.fal.media): serves uploads and output videos, the videos as their script says.
import type { FalErrorResponse } from './errors.js';
import { sendError, type FakeRoute, type IncomingCall } from './http.js';

export const CDN_ORIGIN = 'https://v3.fal.media';

/** How the CDN serves a file. A job's download steps change its video's serving, also after it is published. */
export interface FileServing {
  /** Every download answers this. */
  error?: FalErrorResponse;
  /** Every download declares the whole file, sends its first half, then closes. */
  breaksOff?: boolean;
  /** Downloads wait for this to settle. */
  heldUntil?: Promise<void>;
}

export interface CdnFile {
  bytes: Buffer;
  contentType: string;
  serving?: FileServing;
}

export interface FakeCdn {
  readonly routes: FakeRoute[];
  /** Serves `file` at `path` (starting /files/); returns its public URL. */
  publish(path: string, file: CdnFile): string;
  /** The file a public URL of this CDN serves, as the model's own download of an input would get it. */
  fileAt(url: string): CdnFile | undefined;
}

export function cdnUrl(path: string): string {
  return `${CDN_ORIGIN}${path}`;
}

export function createFakeCdn(): FakeCdn {
  const files = new Map<string, CdnFile>();

  async function serve({ req, res, call }: IncomingCall): Promise<void> {
    const file = files.get(call.path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    const serving = file.serving ?? {};
    if (serving.heldUntil) await serving.heldUntil;
    if (res.destroyed) return; // the client gave up (or died) while the file was held
    if (serving.error) {
      sendError(res, serving.error);
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
    if (req.method === 'HEAD') {
      res.end();
    } else if (serving.breaksOff) {
      // Declared length, half the body, then a closed socket: what a dropped download looks like.
      res.write(file.bytes.subarray(0, Math.floor(file.bytes.length / 2)), () => res.destroy());
    } else {
      res.end(file.bytes);
    }
  }

  return {
    routes: [{ kind: 'cdn', methods: ['GET', 'HEAD'], pattern: /^\/files\/.+$/, handle: serve }],
    publish(path, file) {
      files.set(path, file);
      return cdnUrl(path);
    },
    fileAt(url) {
      return url.startsWith(`${CDN_ORIGIN}/`) ? files.get(new URL(url).pathname) : undefined;
    },
  };
}
