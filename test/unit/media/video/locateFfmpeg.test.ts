import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpeg, packagedFfmpegPath } from '../../../../src/media/video/locateFfmpeg.js';

describe('locateFfmpeg', () => {
  let directory: string;
  let packaged: string;

  /** A folder holding one file named `ffmpeg`: a link to the real one, or a script. */
  async function pathWith(name: string, ffmpeg: { linkTo: string } | { script: string }): Promise<string> {
    const folder = join(directory, name);
    await mkdir(folder);
    const file = join(folder, 'ffmpeg');
    if ('linkTo' in ffmpeg) {
      await symlink(ffmpeg.linkTo, file);
    } else {
      await writeFile(file, `#!/bin/sh\n${ffmpeg.script}\n`);
      await chmod(file, 0o755);
    }
    return folder;
  }

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'locate-ffmpeg-test-'));
    const found = await packagedFfmpegPath();
    if (found === undefined) throw new Error('@ffmpeg-installer/ffmpeg has no binary for this platform');
    packaged = found;
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('finds the binary shipped in @ffmpeg-installer/ffmpeg', () => {
    expect(packaged).toMatch(/@ffmpeg-installer[\\/][a-z0-9-]+[\\/]ffmpeg(\.exe)?$/);
    expect(existsSync(packaged)).toBe(true);
  });

  it('falls back to the npm package when PATH has no ffmpeg', async () => {
    const found = await locateFfmpeg({ searchPath: join(directory, 'nowhere') });
    expect(found).toEqual({ path: packaged, version: expect.stringMatching(/\S/), source: 'package' });
  });

  it('prefers a working ffmpeg on PATH, by its absolute path', async () => {
    const folder = await pathWith('system', { linkTo: packaged });
    const found = await locateFfmpeg({ searchPath: [join(directory, 'nowhere'), folder].join(delimiter) });
    expect(found).toMatchObject({ path: join(folder, 'ffmpeg'), source: 'system' });
    expect(found?.version).toMatch(/\S/);
  });

  it('skips an ffmpeg on PATH that fails, hangs or is not ffmpeg, and uses the package', async () => {
    const failing = await pathWith('failing', { script: 'exit 1' });
    const hanging = await pathWith('hanging', { script: 'exec /bin/sleep 30' });
    const impostor = await pathWith('impostor', { script: 'echo "something else 1.0"' });
    const started = Date.now();
    const found = await locateFfmpeg({
      searchPath: [failing, hanging, impostor, 'relative/bin'].join(delimiter),
      versionTimeoutMs: 500,
    });
    expect(found).toMatchObject({ path: packaged, source: 'package' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('returns undefined when neither PATH nor the package has an ffmpeg', async () => {
    const found = await locateFfmpeg({ searchPath: '', packagedPath: () => Promise.resolve(undefined) });
    expect(found).toBeUndefined();
  });

  it('returns undefined when the packaged binary does not run', async () => {
    const impostor = await pathWith('packaged-impostor', { script: 'exit 0' });
    const found = await locateFfmpeg({ searchPath: undefined, packagedPath: () => Promise.resolve(join(impostor, 'ffmpeg')) });
    expect(found).toBeUndefined();
  });

  it('uses a configured path alone, and refuses one that does not run', async () => {
    const folder = await pathWith('configured', { linkTo: packaged });
    await expect(locateFfmpeg({ searchPath: undefined, configuredPath: join(folder, 'ffmpeg') })).resolves.toMatchObject({
      path: join(folder, 'ffmpeg'),
      source: 'configured',
    });
    await expect(locateFfmpeg({ searchPath: folder, configuredPath: join(directory, 'missing-ffmpeg') })).rejects.toThrow(
      /configured ffmpeg .* does not run/,
    );
  });
});
