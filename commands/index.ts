import { animate } from './animate.js';
import type { Command } from './command.js';
import { quota } from './quota.js';
import { usage } from './usage.js';

/** Every command, listed once: the router and the deploy script both read this. */
export const commands: readonly Command[] = [animate, quota, usage];

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.data.name === name);
}
