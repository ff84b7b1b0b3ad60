import { describe, expect, it } from 'vitest';
import { JOB_STATES, canTransition, isTerminal, statesLeadingTo } from '../../src/jobs/states.js';

describe('job state machine', () => {
  it('walks the happy path one step at a time', () => {
    const path = ['received', 'validated', 'reserved', 'prepared', 'submitted', 'queued', 'running', 'delivering', 'delivered'] as const;
    for (let i = 1; i < path.length; i += 1) {
      expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
    }
  });

  it('does not skip the paid steps', () => {
    expect(canTransition('received', 'submitted')).toBe(false);
    expect(canTransition('validated', 'prepared')).toBe(false);
    expect(canTransition('prepared', 'running')).toBe(false);
    expect(canTransition('running', 'delivered')).toBe(false);
  });

  it('lets fal report any later phase on the first poll', () => {
    expect(canTransition('submitted', 'running')).toBe(true);
    expect(canTransition('submitted', 'delivering')).toBe(true);
    expect(canTransition('queued', 'delivering')).toBe(true);
  });

  it('never goes backwards, except when fal puts a job back in line after a runner failed', () => {
    expect(canTransition('running', 'queued')).toBe(true);
    expect(canTransition('delivering', 'running')).toBe(false);
    expect(canTransition('delivering', 'queued')).toBe(false);
    expect(canTransition('submitted', 'prepared')).toBe(false);
  });

  it('can fail or cancel from every unfinished state and from no finished one', () => {
    for (const state of JOB_STATES) {
      expect(canTransition(state, 'failed')).toBe(!isTerminal(state));
      expect(canTransition(state, 'cancelled')).toBe(!isTerminal(state));
    }
  });

  it('lists the guard states for a compare-and-set', () => {
    // From 'prepared': a repeat of a paid request, answered with the earlier video without fal.
    expect(statesLeadingTo('delivered')).toEqual(['prepared', 'delivering']);
    expect(statesLeadingTo('running').sort()).toEqual(['queued', 'running', 'submitted'].sort());
    expect(statesLeadingTo('queued').sort()).toEqual(['queued', 'running', 'submitted'].sort());
  });
});
