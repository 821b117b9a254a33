/**
 * Generates docs/functions.md from the function table (stdlib/functions.ts), so the reference cannot drift
 * from what the checker accepts. Run `bin/with-node node stdlib/gen-functions-doc.ts` after changing the
 * table; test/unit/stdlib/functions-doc.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatType, withNullable } from '../compiler/types/types.ts';
import { NOT_PROVIDED, STD, firstLine, signatureText, type FunctionEntry, type Signature } from './functions.ts';
import { FAMILY_LEGEND, type Category, type NullRule, type ResultRule } from './signature.ts';
import { assertNever } from '../compiler/util/invariant.ts';

export const FUNCTIONS_DOC_PATH = fileURLToPath(new URL('../docs/functions.md', import.meta.url));

const CATEGORIES: readonly (readonly [Category, string])[] = [
  ['conditional', 'Conditional'],
  ['string', 'Strings'],
  ['hash', 'Hashing'],
  ['math', 'Numbers'],
  ['temporal', 'Date and time'],
  ['json', 'JSON'],
  ['collection', 'Arrays and maps'],
  ['aggregate', 'Aggregates'],
  ['window', 'Window table functions'],
];

export function renderFunctionsDoc(): string {
  const entries = Object.entries(STD) as [string, FunctionEntry][];
  const lines: string[] = [
    '# Function reference',
    '',
    '<!-- Generated from stdlib/functions.ts by stdlib/gen-functions-doc.ts; do not edit by hand. -->',
    '',
    'Every function a `.pipe` expression may call, with the Flink SQL function it becomes, its signatures and its',
    'result type. Names are case-insensitive. Arguments are checked by type family, as Flink does: there is no',
    'implicit conversion between families (`upper(42)` is an error; write `upper(cast(42 as string))`).',
    '"Since" is the first Flink version pipec targets (1.20, 2.2) that has the function.',
    '',
    '| In signatures | Means |',
    '| --- | --- |',
    ...FAMILY_LEGEND.map(([name, meaning]) => `| \`${name}\` | ${meaning} |`),
    '',
    'A `NULL` literal fits any parameter. "Nullable" says when the result may be NULL.',
    '',
  ];
  for (const [category, title] of CATEGORIES) {
    const inCategory = entries.filter(([, e]) => e.category === category).sort(([a], [b]) => (a < b ? -1 : 1));
    if (inCategory.length === 0) continue;
    lines.push(`## ${title}`, '');
    for (const [name, entry] of inCategory) lines.push(...renderEntry(name, entry));
  }
  lines.push('## Not provided', '', 'Names from other SQL dialects that pipec does not accept, and what to write instead.', '');
  lines.push('| Name | Instead |', '| --- | --- |');
  for (const [name, reason] of Object.entries(NOT_PROVIDED).sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`| \`${name}\` | ${reason.replaceAll('|', '\\|')} |`);
  lines.push('');
  return lines.join('\n');
}

function renderEntry(name: string, entry: FunctionEntry): string[] {
  const aliases = entry.aliases?.length ? ` (also ${entry.aliases.map((a) => `\`${a}\``).join(', ')})` : '';
  const texts = signatureText(entry, name);
  const signatures = [...(entry.star ? [entry.star] : []), ...entry.overloads];
  // GFM needs `|` escaped inside table cells, code spans included.
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  const rows = signatures.map((s, i) => `| ${cell(`\`${texts[i] ?? ''}\``)} | ${cell(resultText(s))} | ${cell(nullText(s.nullable, s))} | ${firstLine(entry, s)} |`);
  return [
    `### \`${name}\`${aliases}`,
    '',
    `${entry.doc} Flink: \`${entry.flinkName}\`${entry.kind === 'scalar' ? '' : ` (${entry.kind})`}.`,
    '',
    '| Signature | Returns | Nullable | Since |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...(entry.note ? [`Note: ${entry.note}`, ''] : []),
  ];
}

const paramName = (s: Signature, i: number): string => `\`${s.params[i]?.name ?? `#${i + 1}`}\``;

function resultText(s: Signature): string {
  const rule: ResultRule = s.result;
  switch (rule.kind) {
    case 'fixed': return `\`${formatType(withNullable(rule.type, true))}\``;
    case 'arg': return `type of ${paramName(s, rule.param)}${rule.varying ? ' (CHAR as VARCHAR)' : ''}`;
    case 'common': return rule.params ? `common type of ${rule.params.map((i) => paramName(s, i)).join(' and ')}` : 'common type of the arguments';
    case 'sum': return 'type of `value`; `DECIMAL(p, s)` → `DECIMAL(38, s)`';
    case 'avg': return 'type of `value`; `DECIMAL(p, s)` → `DECIMAL(38, max(6, s))`';
    case 'round': return 'type of `number`; a `DECIMAL` is rounded to a literal `places`';
    case 'floor-ceil': return 'type of `number`; `DECIMAL(p, s)` → `DECIMAL(p, 0)`';
    case 'mod': return 'type of `divisor`; DECIMAL arithmetic with a `DECIMAL`';
    case 'element': return `element type of ${paramName(s, rule.param)}`;
    case 'array-of': return `\`ARRAY\` of the type of ${paramName(s, rule.param)}`;
    case 'multiset-of': return `\`MULTISET\` of the type of ${paramName(s, rule.param)}`;
    case 'map-keys': return `\`ARRAY\` of the key type of ${paramName(s, rule.param)}`;
    case 'map-values': return `\`ARRAY\` of the value type of ${paramName(s, rule.param)}`;
    case 'watermark': return `type of ${paramName(s, rule.param)} with precision 3`;
    case 'proctime': return '`TIMESTAMP_LTZ(3)` processing-time attribute';
    case 'window': return `columns \`window_start\`, \`window_end\` (\`TIMESTAMP(3)\`) and \`window_time\` (type of ${paramName(s, rule.param)})`;
    default: return assertNever(rule, 'result rule');
  }
}

function nullText(rule: NullRule, s: Signature): string {
  if (typeof rule === 'object') return `if ${rule.args.map((i) => paramName(s, i)).join(' or ')} is`;
  switch (rule) {
    case 'any-arg': return s.params.length === 0 ? 'no' : 'if any argument is';
    case 'all-args': return 'only if all arguments are';
    case 'always': return 'yes';
    case 'never': return 'no';
    case 'aggregate': return 'if `value` is, or without GROUP BY';
    default: return assertNever(rule, 'null rule');
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(FUNCTIONS_DOC_PATH, renderFunctionsDoc());
  console.log(`wrote ${FUNCTIONS_DOC_PATH}`);
}
