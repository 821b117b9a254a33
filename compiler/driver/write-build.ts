/**
 * Writes the build folder atomically (edge: file system): everything goes into a fresh sibling folder,
 * which then replaces the old one by rename. A failed compile never leaves a half-written build/.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Artifact } from '../../targets/emit.ts';

export async function writeBuild(outDir: string, artifacts: readonly Artifact[]): Promise<void> {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const staging = path.join(parent, `.${path.basename(target)}.staging-${process.pid}`);
  const previous = path.join(parent, `.${path.basename(target)}.previous-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    for (const a of artifacts) {
      const file = path.join(staging, ...a.path.split('/'));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, a.contents);
    }
    await mkdir(staging, { recursive: true });
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
