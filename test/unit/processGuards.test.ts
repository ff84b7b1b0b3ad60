import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { installProcessGuards } from '../../src/processGuards.js';

describe('process guards', () => {
  it('logs unhandled rejections (and keeps going) and uncaught exceptions (then exits 1)', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    const fakeProcess = new EventEmitter();
    const exits: number[] = [];
    const uninstall = installProcessGuards(logger, { target: fakeProcess, exit: (code) => exits.push(code) });

    fakeProcess.emit('unhandledRejection', new Error('lost promise'));
    fakeProcess.emit('uncaughtException', new Error('thrown from a timer'));
    fakeProcess.emit('unhandledRejection', new Error('second one'));

    const parsed = lines.map((line) => JSON.parse(line) as { msg: string; err?: { message: string; stack: string } });
    expect(parsed.map((entry) => entry.msg.split(';')[0])).toEqual(['unhandled promise rejection', 'uncaught exception', 'unhandled promise rejection']);
    expect(exits).toEqual([1]);
    expect(parsed[1]?.err?.message).toBe('thrown from a timer');
    expect(parsed[1]?.err?.stack).toMatch(/processGuards\.test/);
    uninstall();
    expect(fakeProcess.listenerCount('unhandledRejection')).toBe(0);
  });
});
