import { parseBuffer } from 'music-metadata';
import { InputError } from '../errors.js';
import { localized } from '../i18n/text.js';
import { formatMegabytes, formatSeconds } from './format.js';
import type { AudioLimits } from './limits.js';
import { looksLike, sniff } from './sniff.js';

export type AudioFormat = 'wav' | 'mp3';

export interface CheckedAudio {
  bytes: Buffer;
  format: AudioFormat;
  mimeType: string;
  /** Without the dot: 'wav', 'mp3'. */
  extension: string;
  durationSeconds: number;
}

const FORMATS: Readonly<Record<string, { format: AudioFormat; mimeType: string; extension: string }>> = {
  wav: { format: 'wav', mimeType: 'audio/wav', extension: 'wav' },
  mp3: { format: 'mp3', mimeType: 'audio/mpeg', extension: 'mp3' },
};

const DAMAGED = localized('media.audioDamaged');

/**
 * The background-music checks fal would otherwise fail the job on
 * (PROTOCOLS.md §1: WAV or MP3, 3..30 s, ≤ 15 MB).
 */
export async function checkAudio(bytes: Buffer, limits: AudioLimits): Promise<CheckedAudio> {
  if (bytes.length === 0) throw new InputError(DAMAGED, { logMessage: 'audio: zero bytes' });
  if (bytes.length > limits.maxBytes) {
    throw new InputError(localized('media.audioTooLarge', { size: formatMegabytes(bytes.length), limit: formatMegabytes(limits.maxBytes) }), {
      logMessage: `audio: ${bytes.length} bytes`,
    });
  }

  const sniffed = await sniff(bytes);
  const known = sniffed === undefined ? undefined : FORMATS[sniffed.ext];
  if (known === undefined) {
    throw new InputError(localized('media.notAudio', { hint: looksLike(sniffed) }), {
      logMessage: `audio: sniffed as ${sniffed?.mime ?? 'unknown'}`,
    });
  }

  let durationSeconds: number | undefined;
  try {
    // `duration: true` makes music-metadata walk every MP3 frame when there is no
    // Xing/VBRI header, instead of estimating from the first frame's bitrate.
    const metadata = await parseBuffer(
      bytes,
      { mimeType: known.mimeType, size: bytes.length },
      { duration: true, skipCovers: true },
    );
    durationSeconds = metadata.format.duration;
  } catch (error) {
    throw new InputError(DAMAGED, { cause: error, logMessage: `audio: music-metadata could not parse the ${known.format}` });
  }
  // Garbage behind a valid magic number parses "successfully" with no duration.
  if (durationSeconds === undefined || !Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw new InputError(DAMAGED, { logMessage: `audio: ${known.format} without a usable duration` });
  }

  if (durationSeconds < limits.minSeconds || durationSeconds > limits.maxSeconds) {
    const shown = formatSeconds(durationSeconds, durationSeconds < limits.minSeconds ? 'down' : 'up');
    throw new InputError(localized('media.audioLength', { length: shown, min: limits.minSeconds, max: limits.maxSeconds }), {
      logMessage: `audio: ${durationSeconds} s`,
    });
  }

  return { bytes, ...known, durationSeconds };
}
