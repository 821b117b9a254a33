/**
 * `pipec check --watch`: check, then check again whenever a `.pipe` file, pipec.yaml or a schema file under the
 * project changes, printing the diagnostics of each run. A file whose text is unchanged is not parsed again
 * (compiler/ast/parse-cache.ts); everything after parsing runs exactly as in `pipec check`, since binding and the
 * checks see the whole program. Runs until the signal aborts (SIGINT or SIGTERM in the CLI).
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createParseCache } from '../ast/parse-cache.ts';
import { displayPath, findConfig } from '../driver/project.ts';
import { runCheck, type CommonOptions } from './commands.ts';

/** Files whose change can change a check's result; build output and editors' temporary files are not among them. */
const WATCHED = /\.(pipe|ya?ml|avsc|json|proto|hbs|lock)$/;
/** Editors write a file in several steps; one re-check after they are done. */
const SETTLE_MS = 50;

export async function runWatch(options: CommonOptions, signal: AbortSignal): Promise<number> {
  const cache = createParseCache();
  // Each run's output is whole: its summary, or its own JSON document.
  const check = async (): Promise<number> => {
    const code = await runCheck({ ...options, parse: cache.parse }, 'check');
    options.print.finish();
    return code;
  };
  let code = await check();
  const configPath = findConfig(options);
  // Without pipec.yaml there is no project to watch; the check above said so.
  if (configPath === undefined || signal.aborted) return code;
  const root = path.dirname(configPath);

  let running = false;
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  const rerun = async (): Promise<void> => {
    if (running) {
      pending = true;
      return;
    }
    running = true;
    do {
      pending = false;
      const files = [...changed].sort().join(', ');
      changed.clear();
      options.print.info('');
      options.print.info(`changed: ${files}; checking again`);
      code = await check();
    } while (pending && !signal.aborted);
    running = false;
  };

  // One watcher per folder, not a recursive one: on Linux, Node's recursive watch reports an editor's
  // save-by-rename under the temporary file's name, while a folder's watcher names the file it became.
  const watchers = new Map<string, FSWatcher>();
  const schedule = (relative: string): void => {
    changed.add(displayPath(path.join(root, relative)));
    clearTimeout(timer);
    timer = setTimeout(() => void rerun(), SETTLE_MS);
  };
  const onChange = (dir: string, filename: string | null): void => {
    const relative = filename === null ? undefined : path.relative(root, path.join(dir, filename));
    if (relative === undefined || ignored(relative)) return;
    if (WATCHED.test(relative)) schedule(relative);
    // Anything else may be a folder made or removed: watch what is there now.
    else void syncWatchers(false);
  };
  const syncWatchers = async (initial: boolean): Promise<void> => {
    const dirs = new Set(await folders(root));
    for (const [dir, w] of watchers) {
      if (dirs.has(dir)) continue;
      w.close();
      watchers.delete(dir);
    }
    for (const dir of dirs) {
      if (watchers.has(dir) || signal.aborted) continue;
      try {
        const w = watch(dir, (_event, filename) => onChange(dir, filename));
        // A folder deleted while watched: forget it; the next sync finds what is there.
        w.on('error', () => {
          w.close();
          watchers.delete(dir);
        });
        watchers.set(dir, w);
      } catch {
        // Gone between listing and watching.
        continue;
      }
      // Files written into a new folder before it was watched.
      if (!initial) for (const f of await filesIn(dir)) schedule(path.relative(root, f));
    }
  };
  await syncWatchers(true);
  // Only now: a change made after this line is seen (the watchers are in place).
  options.print.info('watching for changes (Ctrl-C to stop)');
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  clearTimeout(timer);
  for (const w of watchers.values()) w.close();
  return code;
}

async function filesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && WATCHED.test(e.name)).map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

/** The project folder and every folder under it that is not ignored. */
async function folders(root: string): Promise<string[]> {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    const dir = out[i] ?? root;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) if (e.isDirectory() && !ignored(e.name)) out.push(path.join(dir, e.name));
  }
  return out;
}

/** Output folders, dependencies and hidden folders (`.git`, the schema cache) change without changing a check. */
function ignored(relative: string): boolean {
  return relative.split(path.sep).some((part) => part === 'build' || part === 'node_modules' || part.startsWith('.'));
}
