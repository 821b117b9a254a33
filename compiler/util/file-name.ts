import { createHash } from 'node:crypto';

/**
 * A name as one file name that decodes back to it (`decodeURIComponent`): `[A-Za-z0-9._-]` kept, every other
 * byte of its UTF-8 written as `%XX`. No separator survives, so the file never leaves its folder, and two names
 * never share a file.
 */
export function encodeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

const MAX_FILE_NAME = 200;

/**
 * `encodeFileName`, cut for file systems' 255-byte limit: a longer name keeps its start and ends in a hash of the
 * whole name (so it no longer decodes, and still never shares a file with another name).
 */
export function boundedFileName(name: string): string {
  const encoded = encodeFileName(name);
  return encoded.length <= MAX_FILE_NAME ? encoded : `${encoded.slice(0, MAX_FILE_NAME - 17)}-${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}
