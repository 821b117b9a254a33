import { chmod, mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file so readers see the old content or the new, never half of it: a temporary file, then rename.
 * An existing file keeps what it is: a symbolic link stays a link (the file it leads to is replaced) and the
 * file keeps its permissions.
 */
export async function writeTextAtomic(file: string, text: string): Promise<void> {
  const existing = await realpath(file).then(
    async (real) => ({ real, mode: (await stat(real)).mode & 0o7777 }),
    () => undefined,
  );
  const target = existing?.real ?? file;
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(tmp, text, 'utf8');
    if (existing) await chmod(tmp, existing.mode);
    await rename(tmp, target);
  } finally {
    await rm(tmp, { force: true });
  }
}
