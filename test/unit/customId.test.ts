import { describe, expect, it } from 'vitest';
import { cancelButtonId, cancelJob } from '../../commands/cancelJob.js';
import { customIdFor, parseCustomId } from '../../commands/customId.js';

describe('component custom ids', () => {
  it('keeps the Cancel button id of messages already in Discord: cancel:<jobId>', () => {
    expect(cancelButtonId('955a3239-0415-493b-9120-737ccdde929d')).toBe('cancel:955a3239-0415-493b-9120-737ccdde929d');
    expect(parseCustomId('cancel:955a3239-0415-493b-9120-737ccdde929d')).toEqual({
      action: 'cancel',
      id: '955a3239-0415-493b-9120-737ccdde929d',
    });
  });

  it('routes what the Cancel builder makes to the Cancel handler', () => {
    expect(parseCustomId(cancelJob.customId('job-1'))?.action).toBe(cancelJob.action);
  });

  it('reads back every id it builds', () => {
    for (const [action, id] of [['echo', '1'], ['remix', 'a_b-C'], ['x', 'y'.repeat(64)]] as const) {
      expect(parseCustomId(customIdFor(action, id))).toEqual({ action, id });
    }
  });

  it('does not read ids of another shape', () => {
    for (const customId of ['cancel', 'cancel:', ':job', 'Cancel:job', 'cancel:job:1', 'cancel:job 1', `cancel:${'y'.repeat(65)}`, '']) {
      expect(parseCustomId(customId), customId).toBeUndefined();
    }
  });

  it('refuses to build an id it could not read back', () => {
    expect(() => customIdFor('re roll', 'job')).toThrow(/not a valid custom id/);
    expect(() => customIdFor('cancel', 'a:b')).toThrow(/not a valid custom id/);
  });
});
