/**
 * `pipec explain`: every source's and stream's columns, types, time attributes and changelog mode — as data
 * (`explainProgram`, the `--format json` document) and as text (`renderExplain`).
 */
import type { BoundProgram, ChangelogMode, RelationType } from '../semantic/bound.ts';
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
}
export interface ExplainedSource extends ExplainedRelation {
  readonly from: string;
}
export interface ExplainedSink {
  readonly name: string;
  readonly into: string;
  readonly upsertKey?: readonly string[];
}
export interface ExplainedPipeline {
  readonly name: string;
  readonly file: string;
  readonly sources: readonly ExplainedSource[];
  readonly streams: readonly ExplainedRelation[];
  readonly sinks: readonly ExplainedSink[];
}

/** The pipelines of `file` (every pipeline when empty); a source shared by several is listed once. */
export function explainProgram(program: BoundProgram, file: string): readonly ExplainedPipeline[] {
  const seen = new Set<string>();
  return program.pipelines
    .filter((p) => !file || sameFile(p.file, file))
    .map((p) => ({
      name: p.name,
      file: p.file,
      sources: p.sources.flatMap((s) => {
        if (seen.has(s.name)) return [];
        seen.add(s.name);
        return [{ name: s.name, from: s.system === 'kafka' ? `kafka topic ${s.topic}` : `${s.system} table ${s.table ?? ''} (topic ${s.topic})`, ...relation(s.type) }];
      }),
      streams: p.streams.map((s) => ({ name: s.name, ...relation(s.type) })),
      sinks: p.sinks.map((s) => ({ name: s.name, into: `${s.system} ${s.object}`, ...(s.upsert ? { upsertKey: s.keyColumns } : {}) })),
    }));
}

export function renderExplain(pipelines: readonly ExplainedPipeline[]): string {
  const lines: string[] = [];
  for (const p of pipelines) {
    lines.push(`pipeline ${p.name}  (${p.file})`);
    for (const s of p.sources) lines.push('', `  source ${s.name}  ← ${s.from}`, ...relationLines(s));
    for (const s of p.streams) lines.push('', `  stream ${s.name}`, ...relationLines(s));
    for (const s of p.sinks) lines.push('', `  sink ${s.name} → ${s.into}${s.upsertKey ? ` (upsert key ${s.upsertKey.join(', ')})` : ''}`);
    lines.push('');
  }
  // Names are the user's: a line break in one must not start a line of its own (a terminal or CI would act on it).
  return `${lines.map(escapeControls).join('\n')}\n`;
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
