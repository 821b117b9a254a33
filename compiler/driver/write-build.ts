/**
 * Writes the build folder (edge: file system) so that at every instant the path holds either the previous
 * complete build or the new one, and never anything else is deleted.
 *
 * The path (`build`) is a symbolic link to a versioned folder in a store beside it (`.build.pipec/v-…`). A new
 * build is written into a fresh version, a new link to it is made in the store, and that link is renamed over
 * `build`: rename(2) replaces a link atomically, so readers (and a pipec killed at any step) see the old build or
 * the new one. Node cannot reach an exchange of two folders (renameat2's RENAME_EXCHANGE), and two renames of
 * real folders leave an instant with no build, hence the link.
 *
 * pipec writes only where it may replace everything: an absent path, an empty folder, its own link, or a folder
 * holding the `.pipec-build` marker every build carries (a build copied by value; replacing a real folder is two
 * renames, the one case with an instant without a build). Anything else is refused. One writer at a time holds
 * the store's lock; whatever a killed run left in the store is removed by the next one.
 */
import { randomUUID } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, rename, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Artifact } from '../../targets/emit.ts';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { invariant } from '../util/invariant.ts';
import { acquireLock, LOCK_BROKEN, LOCK_DRAFT } from './build-lock.ts';
import { errorCode, reasonOf } from './fs-errors.ts';
import { isInside } from './paths.ts';

/** Written into every build: the mark of a folder pipec may replace. */
export const BUILD_MARKER = '.pipec-build';
const MARKER_TEXT = 'This folder is a build written by `pipec compile`; the next compile replaces all of it.\n';
const LOCK_FILE = 'lock';
const VERSION = /^v-[a-z0-9-]+$/;

/** Files written at once: enough to keep the file system busy, few enough to stay far from the open-file limit. */
const WRITERS = 16;

/** The steps of a write, in order; `afterStep` is called after each one that changes the file system. */
export type WriteStep = 'locked' | 'cleaned' | 'written' | 'linked' | 'emptied' | 'moved-aside' | 'swapped' | 'removed-old';

export interface WriteBuildOptions {
  /** How a path is shown in a diagnostic (default: as given). */
  readonly shown?: (absolute: string) => string;
  /** How long to wait for another pipec writing the same folder. */
  readonly lockTimeoutMs?: number;
  /** A test's fault injection: it ends the process at a step to prove that every step leaves a complete build. */
  readonly afterStep?: (step: WriteStep) => void;
}

export type WriteBuildResult = { readonly ok: true } | { readonly ok: false; readonly diagnostic: Diagnostic };

/** What is at the output path now. */
type Occupant =
  | { readonly kind: 'absent' }
  | { readonly kind: 'empty-folder' }
  | { readonly kind: 'marked-folder' }
  | { readonly kind: 'build-link'; readonly version: string }
  | { readonly kind: 'foreign'; readonly found: string };

/** `artifacts` is read once, as the files are written: a generator of them need not make them all first. */
export async function writeBuild(outDir: string, artifacts: Iterable<Artifact>, options: WriteBuildOptions = {}): Promise<WriteBuildResult> {
  const target = path.resolve(outDir);
  const shown = options.shown ?? ((p: string) => p);
  const storeName = `.${path.basename(target)}.pipec`;
  const store = path.join(path.dirname(target), storeName);
  const step = options.afterStep ?? (() => undefined);
  const writeFailed = (e: unknown): WriteBuildResult => ({ ok: false, diagnostic: diagnostic('out-write-failed', { path: shown(target), reason: reasonOf(e) }, undefined) });
  const refused = (found: string): WriteBuildResult => ({ ok: false, diagnostic: diagnostic('out-not-a-build', { path: shown(target), found }, undefined) });

  try {
    // Judged before anything is created beside the folder, and again under the lock.
    const first = await inspect(target, storeName);
    if (first.kind === 'foreign') return refused(first.found);
    await mkdir(store, { recursive: true });
    if (!(await lstat(store)).isDirectory()) return refused(`${shown(store)} beside it, where pipec keeps its builds, is not a folder`);
  } catch (e) {
    if (errorCode(e) === undefined) throw e;
    return writeFailed(e);
  }
  const lockFile = path.join(store, LOCK_FILE);
  let lock;
  try {
    lock = await acquireLock(lockFile, options.lockTimeoutMs ?? 60_000);
  } catch (e) {
    if (errorCode(e) === undefined) throw e;
    return writeFailed(e);
  }
  if (!lock.ok) return { ok: false, diagnostic: diagnostic('out-locked', { path: shown(target), holder: lock.holder, lock: shown(lockFile), waitedSeconds: Math.round(lock.waitedMs / 1000) }, undefined) };
  try {
    step('locked');
    const occupant = await inspect(target, storeName);
    if (occupant.kind === 'foreign') return refused(occupant.found);
    await cleanStore(store, occupant.kind === 'build-link' ? occupant.version : undefined);
    step('cleaned');
    const version = newVersion();
    const dir = path.join(store, version);
    await writeFiles(dir, artifacts);
    step('written');
    const link = path.join(store, `link-${version}`);
    // Relative to the folder the link is renamed into, so the project can be moved or copied.
    await symlink(path.join(storeName, version), link, 'dir');
    step('linked');
    let replaced: string | undefined;
    switch (occupant.kind) {
      case 'absent':
        break;
      case 'empty-folder':
        // rmdir fails on a folder that is no longer empty: nothing but an empty folder is ever removed.
        await rmdir(target);
        step('emptied');
        break;
      case 'marked-folder':
        replaced = path.join(store, newVersion());
        await rename(target, replaced);
        step('moved-aside');
        break;
      case 'build-link':
        replaced = path.join(store, occupant.version);
        break;
    }
    await rename(link, target);
    step('swapped');
    if (replaced) await rm(replaced, { recursive: true, force: true });
    step('removed-old');
    return { ok: true };
  } catch (e) {
    if (errorCode(e) === undefined) throw e;
    return writeFailed(e);
  } finally {
    await lock.release();
  }
}

async function inspect(target: string, storeName: string): Promise<Occupant> {
  let info;
  try {
    info = await lstat(target);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return { kind: 'absent' };
    throw e;
  }
  if (info.isSymbolicLink()) {
    const to = await readlink(target);
    const version = path.basename(to);
    const folder = path.join(path.dirname(target), storeName, version);
    // A link of pipec's shape to a version that is gone (the store deleted by hand) replaces nothing.
    const ours = to === path.join(storeName, version) && VERSION.test(version) && ((await isMarked(folder)) || !(await exists(folder)));
    return ours ? { kind: 'build-link', version } : { kind: 'foreign', found: `it is a symbolic link to ${to}, which pipec did not make` };
  }
  if (!info.isDirectory()) return { kind: 'foreign', found: info.isFile() ? 'it is a file, not a folder' : 'it is not a folder' };
  const entries = await readdir(target);
  if (entries.length === 0) return { kind: 'empty-folder' };
  if (await isMarked(target)) return { kind: 'marked-folder' };
  if (await isUnmarkedBuild(target)) return { kind: 'foreign', found: `it has no ${BUILD_MARKER} marker, which builds of older pipec versions lack; delete it once and compile again` };
  const named = entries.sort().slice(0, 3).join(', ');
  return { kind: 'foreign', found: `it holds ${named}${entries.length > 3 ? ', …' : ''}, which pipec did not write` };
}

/** A build of a pipec from before the marker: its manifest names pipec as its generator. Never replaced, only named. */
async function isUnmarkedBuild(folder: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8')) as { generator?: unknown };
    return typeof manifest.generator === 'string' && manifest.generator.startsWith('pipec ');
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

async function isMarked(folder: string): Promise<boolean> {
  return lstat(path.join(folder, BUILD_MARKER)).then(
    (m) => m.isFile(),
    () => false,
  );
}

/** Everything in the store but the live version and the lock is left over from a killed or failed run. */
async function cleanStore(store: string, live: string | undefined): Promise<void> {
  for (const entry of await readdir(store)) {
    const leftover = entry !== live && (VERSION.test(entry) || entry.startsWith('link-v-') || entry.startsWith(`${LOCK_FILE}${LOCK_DRAFT}`) || entry.startsWith(`${LOCK_FILE}${LOCK_BROKEN}`));
    if (leftover) await rm(path.join(store, entry), { recursive: true, force: true });
  }
}

function newVersion(): string {
  return `v-${Date.now().toString(36)}-${process.pid.toString(36)}-${randomUUID().slice(0, 8)}`;
}

async function writeFiles(dir: string, artifacts: Iterable<Artifact>): Promise<void> {
  const files = (function* withMarker(): Generator<{ file: string; contents: string }, void, undefined> {
    for (const a of artifacts) yield { file: fileIn(dir, a.path), contents: a.contents };
    yield { file: path.join(dir, BUILD_MARKER), contents: MARKER_TEXT };
  })();
  const seen = new Set<string>();
  const folders = new Map<string, Promise<unknown>>();
  // Each folder made once, the files written WRITERS at a time (one await per file in turn made writing a
  // 1,000-pipeline build take longer than generating it), each taken from `artifacts` when a writer is free.
  const writer = async (): Promise<void> => {
    for (let next = files.next(); !next.done; next = files.next()) {
      const { file, contents } = next.value;
      invariant(!seen.has(file), 'two artifacts have one path');
      seen.add(file);
      const folder = path.dirname(file);
      let made = folders.get(folder);
      if (!made) {
        made = mkdir(folder, { recursive: true });
        folders.set(folder, made);
      }
      await made;
      await writeFile(file, contents, { flag: 'wx' });
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
}

/** An artifact's file: names checked by the compiler's rules already, checked again so no write leaves the build. */
function fileIn(dir: string, artifactPath: string): string {
  const segments = artifactPath.split('/');
  const safe = artifactPath !== BUILD_MARKER && segments.every((s) => s !== '' && s !== '.' && s !== '..' && !/[\\\u0000]/.test(s));
  const file = path.join(dir, ...segments);
  invariant(safe && isInside(file, dir), `artifact path ${JSON.stringify(artifactPath)} would leave the build folder`);
  return file;
}
