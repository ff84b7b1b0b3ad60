import { ApiError, ValidationError } from '@fal-ai/client';
import { UpstreamError } from '../errors.js';

/**
 * Turns whatever fal answered into a sentence for the member. fal's 422 bodies
 * carry `detail: [{ type, ctx }]` and the client's `message` is just
 * "Unprocessable Entity", so the text is built from `type` (PROTOCOLS.md §1).
 * Nothing from the body is shown verbatim: members never see raw JSON.
 */

interface FalDetail {
  type?: string;
  loc?: unknown[];
  ctx?: Record<string, unknown>;
}

const VALIDATION_MESSAGES: Record<string, (ctx: Record<string, unknown>) => string> = {
  content_policy_violation: () =>
    "fal's safety checker flagged the picture or the prompt, so no video was made. Try a different picture or prompt.",
  file_download_error: () => 'fal could not download the picture. Please try again in a moment.',
  image_too_large: (ctx) =>
    `The picture is too large for the model${sizeLimit(ctx, 'max')}. Please use a smaller one.`,
  image_too_small: (ctx) =>
    `The picture is too small for the model${sizeLimit(ctx, 'min')}. Please use a larger one.`,
  image_load_error: () => 'fal could not read the picture. Try saving it again as PNG or JPEG.',
  file_too_large: () => 'A file is too large for the model (pictures up to 10 MB, audio up to 15 MB).',
  unsupported_image_format: () => 'The model cannot use this picture format. Please use JPEG, PNG, BMP or WEBP.',
  audio_duration_too_long: () => 'The audio is too long for the model; it must be 30 seconds or shorter.',
  audio_duration_too_short: () => 'The audio is too short for the model; it must be at least 3 seconds.',
  one_of: () => 'fal did not accept one of the settings. Please check the resolution and duration.',
};

function sizeLimit(ctx: Record<string, unknown>, prefix: 'max' | 'min'): string {
  const width = ctx[`${prefix}_width`];
  const height = ctx[`${prefix}_height`];
  if (typeof width === 'number' && typeof height === 'number') {
    return ` (${prefix === 'max' ? 'at most' : 'at least'} ${width}×${height} px)`;
  }
  return '';
}

function firstDetail(body: unknown): FalDetail | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const detail = (body as { detail?: unknown }).detail;
  if (Array.isArray(detail) && typeof detail[0] === 'object' && detail[0] !== null) return detail[0] as FalDetail;
  return undefined;
}

function errorTypeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const type = (body as { error_type?: unknown }).error_type;
  return typeof type === 'string' ? type : undefined;
}

/** Maps an error thrown by @fal-ai/client (or our own submit guard) to an UpstreamError. */
export function mapFalError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof ValidationError || (error instanceof ApiError && error.status === 422)) {
    const detail = firstDetail(error.body);
    const type = detail?.type ?? 'validation_error';
    const message = VALIDATION_MESSAGES[type]?.(detail?.ctx ?? {}) ?? 'fal did not accept this request. Please check the picture and the settings.';
    return new UpstreamError(message, type, { cause: error, logMessage: `fal rejected the request: ${type}` });
  }
  if (error instanceof ApiError) {
    return fromStatus(error.status, errorTypeOf(error.body), error);
  }
  return new UpstreamError('I could not reach fal to make the video. Please try again in a few minutes.', 'network', {
    cause: error,
    retryable: true,
  });
}

/** Maps an HTTP status (and fal's `error_type`, when present) to an UpstreamError. */
export function fromStatus(status: number, errorType: string | undefined, cause?: unknown): UpstreamError {
  const options = { cause, logMessage: `fal answered ${status}${errorType ? ` ${errorType}` : ''}` };
  if (status === 401 || status === 403) {
    return new UpstreamError("The bot's fal account is not working right now. The operator needs to check it.", 'fal_auth', options);
  }
  if (status === 429) {
    return new UpstreamError('fal is busy right now. Please try again in a few minutes.', 'rate_limited', { ...options, retryable: true });
  }
  if (status === 504 || errorType === 'generation_timeout' || errorType === 'request_timeout') {
    return new UpstreamError('fal took too long to make the video and gave up.', errorType ?? 'generation_timeout', options);
  }
  if (status === 502) {
    return new UpstreamError('I could not reach fal just now. Please try again in a few minutes.', 'bad_gateway', { ...options, retryable: true });
  }
  if (status === 503 || errorType?.startsWith('runner_')) {
    return new UpstreamError('fal has no capacity for this model right now. Please try again in a few minutes.', errorType ?? 'unavailable', {
      ...options,
      retryable: true,
    });
  }
  if (status >= 500) {
    return new UpstreamError('fal had an internal error while making the video.', errorType ?? 'internal_server_error', options);
  }
  if (status === 404 || status === 410) {
    return new UpstreamError('fal no longer has this job.', 'not_found', options);
  }
  return new UpstreamError('fal did not accept this request.', errorType ?? `http_${status}`, options);
}
