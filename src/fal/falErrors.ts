import { ApiError, ValidationError } from '@fal-ai/client';
import { UpstreamError } from '../errors.js';
import { localized, type LocalizedText, type MemberText } from '../i18n/text.js';

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

const VALIDATION_MESSAGES: Record<string, (ctx: Record<string, unknown>) => LocalizedText> = {
  content_policy_violation: () => localized('fal.contentPolicy'),
  file_download_error: () => localized('fal.fileDownload'),
  image_too_large: (ctx) => localized('fal.imageTooLarge', { limit: sizeLimit(ctx, 'max') }),
  image_too_small: (ctx) => localized('fal.imageTooSmall', { limit: sizeLimit(ctx, 'min') }),
  image_load_error: () => localized('fal.imageLoad'),
  file_too_large: () => localized('fal.fileTooLarge'),
  unsupported_image_format: () => localized('fal.unsupportedFormat'),
  audio_duration_too_long: () => localized('fal.audioTooLong'),
  audio_duration_too_short: () => localized('fal.audioTooShort'),
  one_of: () => localized('fal.oneOf'),
};

/** " (at most 2000×2000 px)" when fal said the limit, else nothing. */
function sizeLimit(ctx: Record<string, unknown>, prefix: 'max' | 'min'): MemberText {
  const width = ctx[`${prefix}_width`];
  const height = ctx[`${prefix}_height`];
  if (typeof width === 'number' && typeof height === 'number') {
    return localized(prefix === 'max' ? 'fal.atMost' : 'fal.atLeast', { width, height });
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
    const message = VALIDATION_MESSAGES[type]?.(detail?.ctx ?? {}) ?? localized('fal.validation');
    return new UpstreamError(message, type, { cause: error, logMessage: `fal rejected the request: ${type}` });
  }
  if (error instanceof ApiError) {
    return fromStatus(error.status, errorTypeOf(error.body), error);
  }
  return new UpstreamError(localized('fal.network'), 'network', {
    cause: error,
    retryable: true,
  });
}

/** Maps an HTTP status (and fal's `error_type`, when present) to an UpstreamError. */
export function fromStatus(status: number, errorType: string | undefined, cause?: unknown): UpstreamError {
  const options = { cause, logMessage: `fal answered ${status}${errorType ? ` ${errorType}` : ''}` };
  if (status === 401 || status === 403) {
    return new UpstreamError(localized('fal.auth'), 'fal_auth', options);
  }
  if (status === 429) {
    return new UpstreamError(localized('fal.rateLimited'), 'rate_limited', { ...options, retryable: true });
  }
  if (status === 504 || errorType === 'generation_timeout' || errorType === 'request_timeout') {
    return new UpstreamError(localized('fal.timeout'), errorType ?? 'generation_timeout', options);
  }
  if (status === 502) {
    return new UpstreamError(localized('fal.badGateway'), 'bad_gateway', { ...options, retryable: true });
  }
  if (status === 503 || errorType?.startsWith('runner_')) {
    return new UpstreamError(localized('fal.noCapacity'), errorType ?? 'unavailable', {
      ...options,
      retryable: true,
    });
  }
  if (status >= 500) {
    return new UpstreamError(localized('fal.internal'), errorType ?? 'internal_server_error', options);
  }
  if (status === 404 || status === 410) {
    return new UpstreamError(localized('fal.notFound'), 'not_found', options);
  }
  return new UpstreamError(localized('fal.notAccepted'), errorType ?? `http_${status}`, options);
}
