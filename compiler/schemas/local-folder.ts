/**
 * The local schema folder: the offline default, what examples ship with, and what `pipec schemas pull`
 * writes (edge: file reads). One version per subject (docs/schemas.md):
 *
 *   schemas/orders-value.avsc          Avro        ─┐ exactly one of the three per subject
 *   schemas/customers-value.json       JSON Schema  │ (file name = the subject, with characters other
 *   schemas/invoices-value.proto       Protobuf    ─┘  than letters, digits, `.`, `_`, `-` as %XX)
 *   schemas/orders-value.meta.yaml     optional: version (default 1), id, compatibility, references
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { suggestionList } from '../diagnostics/suggest.ts';
import { describeIssue, issueSentence } from '../diagnostics/validation-issues.ts';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel, type RegisteredSchema, type SchemaType } from './catalog.ts';
import { failed, fetched, type Fetched, type SchemaStore } from './store.ts';
import { encodeFileName } from '../util/file-name.ts';

export const SCHEMA_EXTENSIONS: Readonly<Record<SchemaType, string>> = { AVRO: '.avsc', JSON: '.json', PROTOBUF: '.proto' };
export const META_SUFFIX = '.meta.yaml';

export const metaSchema = z
  .object({
    version: z.number().int().positive().default(1),
    id: z.number().int().optional(),
    compatibility: z.enum(COMPATIBILITY_LEVELS).optional(),
    references: z.array(z.object({ name: z.string().min(1), subject: z.string().min(1), version: z.number().int().positive() }).strict()).default([]),
  })
  .strict();

export type SchemaMeta = z.infer<typeof metaSchema>;

/** Subject → file base name; reversible, and safe on every file system. */
export function subjectFileName(subject: string): string {
  return encodeFileName(subject);
}

export function subjectFromFileName(base: string): string {
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

export function createFolderStore(folder: string, options: { readonly defaultCompatibility?: CompatibilityLevel } = {}): SchemaStore {
  const shown = `folder ${folder}`;
  let listing: Promise<readonly string[]> | undefined;
  const files = (): Promise<readonly string[]> => (listing ??= readdir(folder).catch(() => [] as string[]));

  async function readMeta(subject: string): Promise<Fetched<SchemaMeta>> {
    const file = path.join(folder, `${subjectFileName(subject)}${META_SUFFIX}`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return fetched(metaSchema.parse({}));
    }
    let raw: unknown;
    try {
      raw = parseYaml(text);
    } catch (e) {
      return failed({ kind: 'local-invalid', path: file, issue: e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e) });
    }
    const parsed = metaSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return failed({ kind: 'local-invalid', path: file, issue: issue ? issueSentence(describeIssue(issue, raw ?? {}, { noun: 'field' })) : 'invalid' });
    }
    return fetched(parsed.data);
  }

  async function subjects(): Promise<string[]> {
    const all = await files();
    const exts = Object.values(SCHEMA_EXTENSIONS);
    return [...new Set(all.filter((f) => exts.some((e) => f.endsWith(e)) && !f.endsWith(META_SUFFIX)).map((f) => subjectFromFileName(f.slice(0, f.lastIndexOf('.')))))].sort();
  }

  async function find(subject: string): Promise<Fetched<{ file: string; schemaType: SchemaType }>> {
    const base = subjectFileName(subject);
    const all = new Set(await files());
    const found = (Object.entries(SCHEMA_EXTENSIONS) as [SchemaType, string][]).filter(([, ext]) => all.has(`${base}${ext}`));
    if (found.length > 1) return failed({ kind: 'local-ambiguous', files: found.map(([, ext]) => `${base}${ext}`) });
    const only = found[0];
    if (!only) return failed({ kind: 'local-missing', folder, candidates: suggestionList(subject, await subjects()) });
    return fetched({ file: path.join(folder, `${base}${only[1]}`), schemaType: only[0] });
  }

  return {
    location: shown,
    auth: 'none',

    async getVersion(subject, version) {
      const located = await find(subject);
      if (!located.ok) return located;
      const meta = await readMeta(subject);
      if (!meta.ok) return meta;
      if (version !== 'latest' && version !== meta.value.version) {
        return failed({ kind: 'local-version', wanted: version, found: meta.value.version, file: located.value.file });
      }
      let schema: string;
      try {
        schema = await readFile(located.value.file, 'utf8');
      } catch (e) {
        return failed({ kind: 'io', path: located.value.file, reason: e instanceof Error ? e.message : String(e) });
      }
      const registered: RegisteredSchema = {
        subject,
        version: meta.value.version,
        id: meta.value.id ?? null,
        schemaType: located.value.schemaType,
        schema,
        references: meta.value.references,
      };
      return fetched(registered);
    },

    async listVersions(subject) {
      const located = await find(subject);
      if (!located.ok) return located.failure.kind === 'local-missing' ? failed({ kind: 'not-found', what: 'subject', url: shown, answer: `no file for ${subject}` }) : located;
      const meta = await readMeta(subject);
      return meta.ok ? fetched([meta.value.version]) : meta;
    },

    async getCompatibility(subject) {
      const meta = await readMeta(subject);
      if (!meta.ok) return meta;
      return fetched(meta.value.compatibility ?? options.defaultCompatibility);
    },

    async listSubjects() {
      return fetched(await subjects());
    },
  };
}
