/**
 * `pipec explain`: every source's and stream's columns, types, time attributes and changelog mode — as data
 * (`explainProgram`, the `--format json` document) and as text (`renderExplain`).
 */
import type { BoundProgram, BoundSource, BoundStream, ChangelogMode, Disposal, RelationType } from '../semantic/bound.ts';
import { escapeControls } from '../diagnostics/user-text.ts';
import { formatType } from '../types/types.ts';

export interface ExplainedColumn {
  readonly name: string;
  readonly type: string;
  readonly timeAttribute?: 'event time' | 'processing time';
}
export interface ExplainedRelation {
  readonly name: string;
  readonly changelog: string;
  readonly columns: readonly ExplainedColumn[];
  /** A stream's expectations: what a valid row meets, and where the others go. */
  readonly expectations?: readonly { readonly name: string; readonly otherwise: string }[];
}
export interface ExplainedSource extends ExplainedRelation {
  readonly from: string;
  /** Where records the source cannot decode go, when not `fail` (the default). */
  readonly onError?: string;
}
export interface ExplainedSink {
  readonly name: string;
  readonly into: string;
  readonly upsertKey?: readonly string[];
}
/** A file without a pipeline header: what it declares for others to import. */
export interface ExplainedLibrary {
  readonly file: string;
  readonly sources: readonly ExplainedSource[];
  readonly streams: readonly ExplainedRelation[];
}
export interface Explained {
  readonly pipelines: readonly ExplainedPipeline[];
  readonly libraries: readonly ExplainedLibrary[];
}
export interface ExplainedPipeline {
  readonly name: string;
  readonly file: string;
  readonly sources: readonly ExplainedSource[];
  readonly streams: readonly ExplainedRelation[];
  readonly sinks: readonly ExplainedSink[];
}

/** The pipelines and library files of `file` (all of them when empty); a source shared by pipelines is listed once. */
export function explainProgram(program: BoundProgram, file: string): Explained {
  const seen = new Set<string>();
  const mine = (f: string): boolean => !file || sameFile(f, file);
  return {
    pipelines: program.pipelines.filter((p) => mine(p.file)).map((p) => ({
      name: p.name,
      file: p.file,
      sources: p.sources.flatMap((s) => {
        if (seen.has(s.name)) return [];
        seen.add(s.name);
        return [source(s)];
      }),
      streams: p.streams.map(stream),
      sinks: p.sinks.map((s) => ({ name: s.name, into: `${s.system} ${s.object}`, ...(s.upsert ? { upsertKey: s.keyColumns } : {}) })),
    })),
    libraries: program.libraries.filter((l) => mine(l.file)).map((l) => ({ file: l.file, sources: l.sources.map(source), streams: l.streams.map(stream) })),
  };
}

export function renderExplain(explained: Explained): string {
  const lines: string[] = [];
  const relations = (r: { readonly sources: readonly ExplainedSource[]; readonly streams: readonly ExplainedRelation[] }): void => {
    for (const s of r.sources) lines.push('', `  source ${s.name}  ← ${s.from}`, ...(s.onError ? [`    on error: ${s.onError}`] : []), ...relationLines(s));
    for (const s of r.streams) lines.push('', `  stream ${s.name}`, ...relationLines(s), ...(s.expectations ?? []).map((e) => `    expect ${e.name}, else ${e.otherwise}`));
  };
  for (const p of explained.pipelines) {
    lines.push(`pipeline ${p.name}  (${p.file})`);
    relations(p);
    for (const s of p.sinks) lines.push('', `  sink ${s.name} → ${s.into}${s.upsertKey ? ` (upsert key ${s.upsertKey.join(', ')})` : ''}`);
    lines.push('');
  }
  for (const l of explained.libraries) {
    lines.push(`library ${l.file}  (no pipeline: sources and streams to import)`);
    relations(l);
    lines.push('');
  }
  // Names are the user's: a line break in one must not start a line of its own (a terminal or CI would act on it).
  return `${lines.map(escapeControls).join('\n')}\n`;
}

function source(s: BoundSource): ExplainedSource {
  const from = s.system === 'kafka' ? `kafka topic ${s.topic}` : `${s.system} table ${s.table ?? ''} (topic ${s.topic})`;
  return { name: s.name, from, ...(s.onError.kind !== 'fail' ? { onError: disposalText(s.onError) } : {}), ...relation(s.type) };
}

function stream(s: BoundStream): ExplainedRelation {
  const expectations = s.expectations.map((e) => ({ name: e.name, otherwise: disposalText(e.otherwise) }));
  return { name: s.name, ...relation(s.type), ...(expectations.length > 0 ? { expectations } : {}) };
}

function disposalText(d: Disposal): string {
  switch (d.kind) {
    case 'fail': return 'fail the job';
    case 'skip': return 'skip the record';
    case 'drop': return 'drop the row';
    case 'dead-letter': return `dead letter → kafka topic ${d.topic}`;
  }
}

export function explain(program: BoundProgram, file: string): string {
  return renderExplain(explainProgram(program, file));
}

function sameFile(a: string, b: string): boolean {
  const norm = (x: string) => x.replace(/^\.\//, '');
  return norm(a) === norm(b) || norm(a).endsWith(`/${norm(b)}`) || norm(b).endsWith(`/${norm(a)}`);
}

function relation(type: RelationType): { changelog: string; columns: ExplainedColumn[] } {
  return {
    changelog: changelogText(type.changelog),
    columns: type.columns.map((c) => {
      const time = (c.type.kind === 'TIMESTAMP' || c.type.kind === 'TIMESTAMP_LTZ') && c.type.timeAttribute ? c.type.timeAttribute : undefined;
      return { name: c.name, type: formatType(c.type), ...(time ? { timeAttribute: time === 'rowtime' ? 'event time' : 'processing time' } : {}) };
    }),
  };
}

function relationLines(r: ExplainedRelation): string[] {
  const width = Math.max(6, ...r.columns.map((c) => c.name.length));
  return [`    changelog: ${r.changelog}`, ...r.columns.map((c) => `    ${c.name.padEnd(width)}  ${c.type}${c.timeAttribute ? `  (${c.timeAttribute})` : ''}`)];
}

function changelogText(mode: ChangelogMode): string {
  if (mode.kind === 'append') return 'append-only';
  return mode.key && mode.key.length > 0 ? `updating, upsert key (${mode.key.join(', ')})` : 'updating';
}
