import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes a file so readers see the old content or the new, never half of it: a temporary file, then rename. */
export async function writeTextAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}
