import { ApiError, ValidationError } from '@fal-ai/client';
import { describe, expect, it } from 'vitest';
import { fromStatus, mapFalError } from '../../src/fal/falErrors.js';

function validation(type: string, ctx?: Record<string, unknown>): ValidationError {
  return new ValidationError({
    message: 'Unprocessable Entity',
    status: 422,
    body: { detail: [{ loc: ['body', 'image_url'], msg: 'raw fal text', type, ctx }] },
  } as ConstructorParameters<typeof ValidationError>[0]);
}

describe('mapFalError', () => {
  const types = [
    ['content_policy_violation', /safety checker/],
    ['file_download_error', /could not download/],
    ['image_too_large', /too large/],
    ['image_too_small', /too small/],
    ['image_load_error', /could not read/],
    ['file_too_large', /too large/],
    ['unsupported_image_format', /JPEG, PNG, BMP or WEBP/],
    ['audio_duration_too_long', /too long/],
    ['audio_duration_too_short', /too short/],
    ['one_of', /settings/],
  ] as const;

  it.each(types)('turns a 422 %s into its own sentence', (type, pattern) => {
    const mapped = mapFalError(validation(type));
    expect(mapped.code).toBe(type);
    expect(mapped.memberMessage).toMatch(pattern);
    expect(mapped.memberMessage).not.toMatch(/raw fal text|Unprocessable|\{/);
  });

  it('gives every mapped 422 a different sentence', () => {
    const sentences = new Set(types.map(([type]) => mapFalError(validation(type)).memberMessage));
    expect(sentences.size).toBe(types.length);
  });

  it('quotes the size limits fal sends in ctx', () => {
    expect(mapFalError(validation('image_too_small', { min_width: 360, min_height: 360 })).memberMessage).toContain('360×360');
  });

  it('falls back to a generic validation sentence for unknown types', () => {
    const mapped = mapFalError(validation('string_too_long'));
    expect(mapped.code).toBe('string_too_long');
    expect(mapped.memberMessage).toMatch(/did not accept/);
  });

  it('maps 500, 503 runner errors, 504 and 429', () => {
    const error = (status: number, body: unknown) => new ApiError({ message: 'x', status, body } as ConstructorParameters<typeof ApiError>[0]);
    expect(mapFalError(error(500, { detail: 'boom' })).code).toBe('internal_server_error');
    expect(mapFalError(error(503, { detail: 'x', error_type: 'runner_scheduling_failure' })).retryable).toBe(true);
    expect(mapFalError(error(504, { detail: 'x', error_type: 'generation_timeout' })).memberMessage).toMatch(/too long/);
    expect(mapFalError(error(429, {})).code).toBe('rate_limited');
  });

  it('treats anything else as a network problem worth retrying', () => {
    const mapped = mapFalError(new TypeError('fetch failed'));
    expect(mapped.code).toBe('network');
    expect(mapped.retryable).toBe(true);
  });

  it('says the account is broken on 401 without showing the key', () => {
    expect(fromStatus(401, undefined).memberMessage).toMatch(/operator/);
  });
});
