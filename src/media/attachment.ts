import { InputError } from '../errors.js';
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

const NOUNS: Readonly<Record<AttachmentKind, string>> = { image: 'image', audio: 'audio file' };

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
  const noun = NOUNS[kind];
  const { maxBytes } = options;
  try {
    return await fetchCapped(url, { allowedHosts: options.allowedHosts, maxBytes, timeoutMs: options.timeoutMs });
  } catch (error) {
    if (!(error instanceof DownloadError)) throw error;
    throw new InputError(memberMessage(error, noun, maxBytes), {
      cause: error,
      logMessage: `${kind} download failed (${error.reason}): ${error.message}`,
    });
  }
}

function memberMessage(error: DownloadError, noun: string, maxBytes: number): string {
  switch (error.reason) {
    case 'too_large':
      return `The ${noun} is larger than ${formatMegabytes(maxBytes)}.`;
    case 'host_not_allowed':
    case 'bad_url':
      return 'I can only read files uploaded to Discord.';
    case 'timeout':
      return `Downloading your ${noun} took too long; please try again.`;
    case 'http_status':
    case 'too_many_redirects':
    case 'network':
      // Discord's signed CDN links expire; a fresh upload gets a fresh link.
      return `I couldn't download your ${noun} from Discord; please upload it again.`;
  }
}
