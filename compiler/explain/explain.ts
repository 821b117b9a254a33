/** `pipec explain`: every source's and stream's columns, types, time attributes and changelog mode, as text. */
import type { BoundProgram, ChangelogMode, RelationType } from '../semantic/bound.ts';
import { escapeControls } from '../diagnostics/user-text.ts';
import { formatType } from '../types/types.ts';

export function explain(program: BoundProgram, file: string): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const p of program.pipelines) {
    if (file && !sameFile(p.file, file)) continue;
    lines.push(`pipeline ${p.name}  (${p.file})`);
    for (const s of p.sources) {
      if (seen.has(`source:${s.name}`)) continue;
      seen.add(`source:${s.name}`);
      lines.push('', `  source ${s.name}  ← ${s.system === 'kafka' ? `kafka topic ${s.topic}` : `${s.system} table ${s.table ?? ''} (topic ${s.topic})`}`);
      lines.push(...relation(s.type));
    }
    for (const s of p.streams) {
      lines.push('', `  stream ${s.name}`);
      lines.push(...relation(s.type));
    }
    for (const s of p.sinks) {
      lines.push('', `  sink ${s.name} → ${s.system} ${s.object}${s.upsert ? ` (upsert key ${s.keyColumns.join(', ')})` : ''}`);
    }
    lines.push('');
  }
  // Names are the user's: a line break in one must not start a line of its own (a terminal or CI would act on it).
  return `${lines.map(escapeControls).join('\n')}\n`;
}

function sameFile(a: string, b: string): boolean {
  const norm = (x: string) => x.replace(/^\.\//, '');
  return norm(a) === norm(b) || norm(a).endsWith(`/${norm(b)}`) || norm(b).endsWith(`/${norm(a)}`);
}

function relation(type: RelationType): string[] {
  const width = Math.max(6, ...type.columns.map((c) => c.name.length));
  const out = [`    changelog: ${changelogText(type.changelog)}`];
  for (const c of type.columns) {
    const attribute = (c.type.kind === 'TIMESTAMP' || c.type.kind === 'TIMESTAMP_LTZ') && c.type.timeAttribute ? `  (${c.type.timeAttribute === 'rowtime' ? 'event time' : 'processing time'})` : '';
    out.push(`    ${c.name.padEnd(width)}  ${formatType(c.type)}${attribute}`);
  }
  return out;
}

function changelogText(mode: ChangelogMode): string {
  if (mode.kind === 'append') return 'append-only';
  return mode.key && mode.key.length > 0 ? `updating, upsert key (${mode.key.join(', ')})` : 'updating';
}
