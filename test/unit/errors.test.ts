import { describe, expect, it } from 'vitest';
import { GENERIC_FAILURE_MESSAGE, InputError, memberMessageFor, newReportId } from '../../src/errors.js';

describe('what a member reads about an error', () => {
  it('is the error\'s own sentence when it was written for the member', () => {
    expect(memberMessageFor(new InputError('The prompt is empty.'), 'a1b2c3d4')).toBe('The prompt is empty.');
  });

  it('is the generic sentence plus the report id for a bug, never its message', () => {
    const message = memberMessageFor(new Error('SQLITE_CORRUPT at /var/lib/x'), 'a1b2c3d4');
    expect(message).toBe('Something went wrong on our side. You were not charged; please try again. (report `a1b2c3d4`)');
    expect(memberMessageFor(new Error('boom'))).toBe(GENERIC_FAILURE_MESSAGE);
  });

  it('gives each bug its own short report id', () => {
    const ids = new Set(Array.from({ length: 50 }, newReportId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/);
  });
});
