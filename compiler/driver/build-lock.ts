/**
 * One writer per build folder (edge: file system): a lock file created with O_EXCL. Concurrent compiles into
 * one folder wait for each other instead of racing on its renames. A lock left by a killed pipec (its process
 * is gone) is broken; one held by a live process is waited for, up to a deadline.
 */
import { randomUUID } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode } from './fs-errors.ts';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

export type LockResult = { readonly ok: true; readonly release: () => Promise<void> } | { readonly ok: false; readonly holder: string; readonly waitedMs: number };

const POLL_MS = 50;
/** Suffixes of the lock's transient siblings (a draft being linked in, a stale lock being broken). */
export const LOCK_DRAFT = '.draft-';
export const LOCK_BROKEN = '.broken-';

export async function acquireLock(file: string, timeoutMs: number): Promise<LockResult> {
  const mine: LockHolder = { pid: process.pid, host: hostname(), token: randomUUID() };
  const started = Date.now();
  for (;;) {
    if (await createWithContents(file, JSON.stringify(mine))) return { ok: true, release: () => releaseLock(file, mine) };
    const seen = await readHolder(file);
    if (seen === 'gone') continue;
    if (seen !== 'unreadable' && isStale(seen)) {
      await breakStaleLock(file, seen);
      continue;
    }
    const waitedMs = Date.now() - started;
    if (waitedMs >= timeoutMs) return { ok: false, holder: seen === 'unreadable' ? 'unknown process' : `pid ${seen.pid} on ${seen.host}`, waitedMs };
    await sleep(POLL_MS);
  }
}

/**
 * Creates `file` with its contents in one step (written beside it, then hard-linked into place, which fails
 * when the file exists), so no reader ever sees an empty lock. False when the file exists.
 */
async function createWithContents(file: string, contents: string): Promise<boolean> {
  const draft = `${file}${LOCK_DRAFT}${randomUUID()}`;
  try {
    await writeFile(draft, contents, { flag: 'wx' });
    try {
      await link(draft, file);
      return true;
    } catch (e) {
      // ENOENT: the draft was cleaned away by the lock's holder (it removes leftovers of killed runs); try again.
      if (errorCode(e) === 'EEXIST' || errorCode(e) === 'ENOENT') return false;
      throw e;
    }
  } finally {
    await rm(draft, { force: true });
  }
}

async function releaseLock(file: string, mine: LockHolder): Promise<void> {
  const seen = await readHolder(file);
  if (seen !== 'gone' && seen !== 'unreadable' && seen.token === mine.token) await rm(file, { force: true });
}

/** A lock of this host whose process is gone. Locks of other hosts (a shared file system) are never judged stale. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return errorCode(e) === 'ESRCH';
  }
}

/**
 * Moves the stale lock aside under a name of its own, then checks that what it moved is the stale lock: another
 * waiter may have broken it and taken the lock in between, and that lock is put back.
 */
async function breakStaleLock(file: string, stale: LockHolder): Promise<void> {
  const aside = path.join(path.dirname(file), `${path.basename(file)}${LOCK_BROKEN}${randomUUID()}`);
  try {
    await rename(file, aside);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return;
    throw e;
  }
  const moved = await readHolder(aside);
  if (moved !== 'gone' && moved !== 'unreadable' && moved.token !== stale.token) {
    await link(aside, file).catch((e: unknown) => {
      if (errorCode(e) !== 'EEXIST') throw e;
    });
  }
  await rm(aside, { force: true });
}

async function readHolder(file: string): Promise<LockHolder | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return 'gone';
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string') return { pid: parsed.pid, host: parsed.host, token: parsed.token };
  } catch {
    // Not a lock pipec wrote (pipec creates its lock with its contents in one step): waited for, then reported.
  }
  return 'unreadable';
}
