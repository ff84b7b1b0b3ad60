import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `work` in a fresh private folder (mkdtemp: unique name, mode 0700) and
 * removes the folder afterwards, whether `work` succeeded, threw or timed out.
 * `parent` defaults to the OS temp folder.
 */
export async function withTempDirectory<T>(parent: string | undefined, work: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(parent ?? tmpdir(), 'animate-video-'));
  try {
    return await work(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
