import { InputError } from '../errors.js';
import { localized, type LocalizedText } from '../i18n/text.js';
import { DownloadError, fetchCapped } from './fetchCapped.js';
import { formatMegabytes } from './format.js';

export type AttachmentKind = 'image' | 'audio';

export interface DownloadAttachmentOptions {
  /** Discord's CDN hosts (PROTOCOLS.md §3), or the fake's host:port in tests. */
  allowedHosts: readonly string[];
  timeoutMs: number;
  /** The model's byte limit for this kind of file (src/fal/models). */
  maxBytes: number;
}

/** The sentences for each kind of file (German, say, needs other words around "image" and "audio file"). */
const SENTENCES = {
  image: { tooLarge: 'download.imageTooLarge', timeout: 'download.imageTimeout', failed: 'download.imageFailed' },
  audio: { tooLarge: 'download.audioTooLarge', timeout: 'download.audioTimeout', failed: 'download.audioFailed' },
} as const;

/**
 * Fetch a member's attachment with the model's byte cap for its kind, turning
 * every download failure into a sentence the member can act on. The bytes are
 * not checked here: pass them to checkImage / checkAudio.
 */
export async function downloadAttachment(
  url: string,
  kind: AttachmentKind,
  options: DownloadAttachmentOptions,
): Promise<Buffer> {
  const { maxBytes } = options;
  try {
    return await fetchCapped(url, { allowedHosts: options.allowedHosts, maxBytes, timeoutMs: options.timeoutMs });
  } catch (error) {
    if (!(error instanceof DownloadError)) throw error;
    throw new InputError(memberMessage(error, kind, maxBytes), {
      cause: error,
      logMessage: `${kind} download failed (${error.reason}): ${error.message}`,
    });
  }
}

function memberMessage(error: DownloadError, kind: AttachmentKind, maxBytes: number): LocalizedText {
  const sentences = SENTENCES[kind];
  switch (error.reason) {
    case 'too_large':
      return localized(sentences.tooLarge, { limit: formatMegabytes(maxBytes) });
    case 'host_not_allowed':
    case 'bad_url':
      return localized('download.onlyDiscord');
    case 'timeout':
      return localized(sentences.timeout);
    case 'http_status':
    case 'too_many_redirects':
    case 'network':
      // Discord's signed CDN links expire; a fresh upload gets a fresh link.
      return localized(sentences.failed);
  }
}
