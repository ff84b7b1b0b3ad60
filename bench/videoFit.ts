// What fitting a finished video to Discord's upload limit costs (fitVideoToSize:
// one or two x264 encodes) next to a plain stream copy of the same file through
// the same ffmpeg (what handing it over unchanged would cost at most).
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitVideoToSize } from '../src/media/video/fitVideoToSize.js';
import { locateFfmpeg, type FfmpegBinary } from '../src/media/video/locateFfmpeg.js';
import { mp4InputArgs, outputPath, runFfmpeg } from '../src/media/video/runFfmpeg.js';
import { withTempDirectory } from '../src/media/video/tempDirectory.js';
import type { Benchmark } from './benchmark.js';
import { median, p95 } from './stats.js';
import { formatRatio, renderTable, type Cell } from './table.js';

const RUNS = 3;
/** Discord's upload limit on a server without boosts (PROTOCOLS.md §3). */
const LIMIT_BYTES = 10 * 1024 * 1024;
const MB = 1024 * 1024;

/**
 * 10 s of 1280×720 at 25 fps with a tone, grainy (per-frame noise) so that it
 * is as hard to compress as a generated video and about twice the limit.
 */
async function sourceClip(ffmpeg: FfmpegBinary, directory: string): Promise<Buffer> {
  const path = join(directory, 'source.mp4');
  await runFfmpeg(
    ffmpeg.path,
    [
      '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=10,noise=alls=10:allf=t+u',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=10',
      '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '16M', '-maxrate', '16M', '-bufsize', '8M', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '128k',
      '-y', outputPath(path),
    ],
    { timeoutMs: 300_000 },
  );
  return readFile(path);
}

/** The baseline: the same file through ffmpeg without re-encoding (remuxed to a new MP4). */
async function plainCopy(ffmpeg: FfmpegBinary, mp4: Buffer): Promise<number> {
  return withTempDirectory(undefined, async (directory) => {
    const sourcePath = join(directory, 'source.mp4');
    const copyPath = join(directory, 'copy.mp4');
    await writeFile(sourcePath, mp4);
    await runFfmpeg(ffmpeg.path, [...mp4InputArgs(sourcePath), '-c', 'copy', '-movflags', '+faststart', '-y', outputPath(copyPath)], {
      timeoutMs: 60_000,
    });
    return (await stat(copyPath)).size;
  });
}

/**
 * CPU time of this process's finished children (ffmpeg), from /proc/self/stat's
 * cutime + cstime: unlike wall time, it does not grow when other work shares the CPU.
 * NaN where there is no /proc.
 */
function childrenCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'latin1').split(') ')[1]?.split(' ') ?? [];
    // After "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14. Clock ticks are 100 Hz on Linux.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const startedAt = performance.now();
  const cpuBefore = childrenCpuMs();
  const value = await work();
  return { ms: performance.now() - startedAt, cpuMs: childrenCpuMs() - cpuBefore, value };
}

export const videoFit: Benchmark = {
  title: 'Video fit: fitVideoToSize to the 10 MiB upload limit vs a plain stream copy (10 s 720p clip)',
  async run(print) {
    // The bench is not src/: it may read the environment's PATH itself.
    const ffmpeg = await locateFfmpeg({ searchPath: process.env.PATH });
    if (ffmpeg === undefined) {
      print('No ffmpeg (neither on PATH nor from @ffmpeg-installer/ffmpeg): skipped.');
      return;
    }
    const scratch = await mkdtemp(join(tmpdir(), 'bench-video-'));
    try {
      const clip = await sourceClip(ffmpeg, scratch);
      const fitTimes: number[] = [];
      const copyTimes: number[] = [];
      const fitCpu: number[] = [];
      const copyCpu: number[] = [];
      let fitted: Awaited<ReturnType<typeof fitVideoToSize>> | undefined;
      let copiedBytes = 0;
      for (let run = 0; run < RUNS; run += 1) {
        const copy = await timed(() => plainCopy(ffmpeg, clip));
        copyTimes.push(copy.ms);
        copyCpu.push(copy.cpuMs);
        copiedBytes = copy.value;
        const fit = await timed(() => fitVideoToSize(ffmpeg, clip, LIMIT_BYTES));
        fitTimes.push(fit.ms);
        fitCpu.push(fit.cpuMs);
        fitted = fit.value;
      }
      const rows: Cell[][] = [
        ['plain copy (-c copy)', clip.length / MB, copiedBytes / MB, '1280×720', RUNS, median(copyTimes), p95(copyTimes), median(copyCpu), ''],
        [
          'fitVideoToSize',
          clip.length / MB,
          (fitted?.bytes.length ?? 0) / MB,
          `${fitted?.width ?? 0}×${fitted?.height ?? 0}, ${fitted?.attempts ?? 0} encode(s)`,
          RUNS,
          median(fitTimes),
          p95(fitTimes),
          median(fitCpu),
          formatRatio(median(fitTimes) / median(copyTimes)),
        ],
      ];
      renderTable(
        [
          { header: 'variant' },
          { header: 'in MiB', decimals: 1 },
          { header: 'out MiB', decimals: 1 },
          { header: 'result' },
          { header: 'runs' },
          { header: 'median ms', decimals: 0 },
          { header: 'p95 ms', decimals: 0 },
          { header: 'ffmpeg CPU ms', decimals: 0 },
          { header: 'vs copy' },
        ],
        rows,
      ).forEach((line) => print(line));
      print(
        `ffmpeg ${ffmpeg.version} (${ffmpeg.source}); x264 preset "fast", one pass; the fit's time includes probing the source and its result. ` +
          'p95 with fewer than 20 runs is the slowest run. ffmpeg CPU ms: user + system time of the ffmpeg processes (all threads), ' +
          `which does not grow with other load; load average during the run: ${loadavg()[0]?.toFixed(1) ?? '?'}.`,
      );
      print(
        `Verdict: a ${(clip.length / MB).toFixed(1)} MiB clip fits the 10 MiB limit in ${(median(fitTimes) / 1000).toFixed(1)} s ` +
          `(${(median(fitCpu) / 1000).toFixed(1)} s of CPU; ${formatRatio(median(fitTimes) / median(copyTimes))} a plain copy), ` +
          "once per delivery over the limit, after fal's minutes of work.",
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
};
