// fal's error answers, as the fake sends them (PROTOCOLS.md §1).

/** One HTTP error answer: status, optional JSON body, optional headers. */
export interface FalErrorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A model error as fal sends it: 422 `{ detail: [{ loc, msg, type, ctx }] }`. */
export function falValidationError(
  type: string,
  options: { msg?: string; loc?: string[]; ctx?: Record<string, unknown> } = {},
): FalErrorResponse {
  const detail: Record<string, unknown> = {
    loc: options.loc ?? defaultLocFor(type),
    msg: options.msg ?? `fake fal: ${type}`,
    type,
  };
  if (options.ctx !== undefined) detail.ctx = options.ctx;
  return { status: 422, body: { detail: [detail] } };
}

/**
 * An infrastructure error: `{ detail, error_type }` plus X-Fal-Error-Type / X-Fal-Retryable.
 * `retryable` defaults to true for 429, 502, 503 and 504.
 */
export function falInfraError(status: number, errorType: string, retryable?: boolean): FalErrorResponse {
  const isRetryable = retryable ?? [429, 502, 503, 504].includes(status);
  return {
    status,
    body: { detail: `fake fal: ${errorType}`, error_type: errorType },
    headers: { 'X-Fal-Error-Type': errorType, 'X-Fal-Retryable': String(isRetryable) },
  };
}

function defaultLocFor(type: string): string[] {
  if (type.startsWith('image_') || type === 'unsupported_image_format') return ['body', 'image_url'];
  if (type.startsWith('audio_')) return ['body', 'audio_url'];
  if (type === 'content_policy_violation') return ['body', 'prompt'];
  return ['body'];
}
