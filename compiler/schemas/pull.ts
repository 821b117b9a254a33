/**
 * `pipec schemas pull`: writes the schemas of a resolved catalog into the local folder (edge: file I/O), so
 * the project compiles offline against exactly what the registry holds. For every subject read (at the
 * highest version used), every referenced schema, and the latest version of every sink subject, it writes
 * `<subject>.<avsc|json|proto>` and `<subject>.meta.yaml` (version, id, compatibility, references).
 *
 * Every file is first written into a staging folder next to the target; only when all of them are written
 * are they renamed into place, each rename replacing its file atomically. So a failure while writing (disk
 * full, permissions) leaves the folder as it was, and no file is ever seen half-written.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Catalog, CompatibilityLevel, RegisteredSchema } from './catalog.ts';
import { META_SUFFIX, SCHEMA_EXTENSIONS, subjectFileName } from './local-folder.ts';

export interface PullResult {
  /** Paths written, relative to the folder. */
  readonly written: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

interface PullItem {
  readonly schema: RegisteredSchema;
  readonly compatibility?: CompatibilityLevel | undefined;
}

/** What `pull` writes for a catalog, by file name (pure). */
export function pullFiles(catalog: Catalog): Map<string, string> {
  const items = new Map<string, PullItem>();
  const offer = (item: PullItem): void => {
    const existing = items.get(item.schema.subject);
    if (!existing || item.schema.version > existing.schema.version) items.set(item.schema.subject, item);
  };
  for (const s of catalog.subjects) offer({ schema: s });
  for (const s of catalog.referenced) offer({ schema: s });
  for (const sink of catalog.sinks) {
    const last = sink.versions[sink.versions.length - 1];
    if (last) offer({ schema: last, compatibility: sink.compatibility });
    for (const r of sink.referenced) offer({ schema: r });
  }
  const files = new Map<string, string>();
  for (const { schema, compatibility } of [...items.values()].sort((a, b) => (a.schema.subject < b.schema.subject ? -1 : 1))) {
    const base = subjectFileName(schema.subject);
    // Exactly the registry's text: a trailing newline added here would be a different schema string.
    files.set(`${base}${SCHEMA_EXTENSIONS[schema.schemaType]}`, schema.schema);
    const meta = {
      version: schema.version,
      ...(schema.id === null ? {} : { id: schema.id }),
      ...(compatibility === undefined ? {} : { compatibility }),
      ...(schema.references.length === 0 ? {} : { references: schema.references.map((r) => ({ name: r.name, subject: r.subject, version: r.version })) }),
    };
    files.set(`${base}${META_SUFFIX}`, `# pulled by pipec from ${catalog.source}\n${stringifyYaml(meta, { lineWidth: 0 })}`);
  }
  return files;
}

export async function pullSchemas(catalog: Catalog, folder: string): Promise<PullResult> {
  const files = pullFiles(catalog);
  const stage = path.join(path.dirname(path.resolve(folder)), `.${path.basename(folder)}.pull-${process.pid}-${Date.now()}`);
  const fail = async (file: string, e: unknown): Promise<PullResult> => {
    await rm(stage, { recursive: true, force: true });
    return { written: [], diagnostics: [diagnostic('schemas-write-failed', { path: file, reason: e instanceof Error ? e.message : String(e) }, undefined)] };
  };
  try {
    await mkdir(stage, { recursive: true });
    await mkdir(folder, { recursive: true });
  } catch (e) {
    return fail(folder, e);
  }
  for (const [name, text] of files) {
    try {
      await writeFile(path.join(stage, name), text, 'utf8');
    } catch (e) {
      return fail(path.join(folder, name), e);
    }
  }
  // A subject whose schema type changed must not keep its old file: the folder would hold two.
  const existing = await readdir(folder).catch(() => [] as string[]);
  const stale = existing.filter((f) => !files.has(f) && [...files.keys()].some((k) => sameSubjectOtherType(f, k)));
  try {
    for (const name of files.keys()) await rename(path.join(stage, name), path.join(folder, name));
    for (const f of stale) await rm(path.join(folder, f), { force: true });
  } catch (e) {
    return fail(folder, e);
  }
  await rm(stage, { recursive: true, force: true });
  return { written: [...files.keys()], diagnostics: [] };
}

function sameSubjectOtherType(existing: string, written: string): boolean {
  const exts = Object.values(SCHEMA_EXTENSIONS);
  const baseOf = (f: string): string | undefined => {
    const ext = exts.find((e) => f.endsWith(e) && !f.endsWith(META_SUFFIX));
    return ext === undefined ? undefined : f.slice(0, -ext.length);
  };
  const a = baseOf(existing);
  return a !== undefined && a === baseOf(written) && existing !== written;
}
