/**
 * Writes the build folder atomically (edge: file system): everything goes into a fresh sibling folder,
 * which then replaces the old one by rename. A failed compile never leaves a half-written build/.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Artifact } from '../../targets/emit.ts';

/** Files written at once: enough to keep the file system busy, few enough to stay far from the open-file limit. */
const WRITERS = 16;

export async function writeBuild(outDir: string, artifacts: readonly Artifact[]): Promise<void> {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const staging = path.join(parent, `.${path.basename(target)}.staging-${process.pid}`);
  const previous = path.join(parent, `.${path.basename(target)}.previous-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    const files = artifacts.map((a) => ({ file: path.join(staging, ...a.path.split('/')), contents: a.contents }));
    // Each folder made once, then the files written WRITERS at a time: one await per file in turn made
    // writing a 1,000-pipeline build take longer than generating it.
    await mkdir(staging, { recursive: true });
    for (const dir of new Set(files.map((f) => path.dirname(f.file)))) await mkdir(dir, { recursive: true });
    let next = 0;
    const writer = async (): Promise<void> => {
      for (let i = next++; i < files.length; i = next++) await writeFile(files[i]!.file, files[i]!.contents);
    };
    await Promise.all(Array.from({ length: Math.min(WRITERS, files.length) }, writer));
    // Swap: old → previous, staging → target, then drop previous. Each rename is atomic on one file system.
    const hadPrevious = await rename(target, previous).then(() => true, (e: unknown) => {
      if (isMissing(e)) return false;
      throw e;
    });
    try {
      await rename(staging, target);
    } catch (e) {
      if (hadPrevious) await rename(previous, target);
      throw e;
    }
    if (hadPrevious) await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function isMissing(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e as { code: unknown }).code === 'ENOENT';
}
