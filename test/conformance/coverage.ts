/**
 * What a conformance run covered: grammar rules parsed, stdlib overloads typed, Avro field kinds and the Flink
 * types the mapper made of them, check rules that fired on near-misses, and the constructs generated.
 */
import type { CstNode, CstElement } from 'chevrotain';
import { RULES, check } from '../../compiler/check/index.ts';
import { lex } from '../../grammar/lexer.ts';
import { pipeParser, parseTokens } from '../../grammar/parser.ts';
import type { Checked } from './differential.ts';
import { OVERLOADS } from './expressions.ts';
import { mappedTypes } from './schemas.ts';
import { lineAtLeast, type FlinkLine } from '../../stdlib/flink-lines.ts';

export interface Coverage {
  readonly grammarRules: ReadonlySet<string>;
  readonly overloads: ReadonlySet<string>;
  readonly fieldKinds: ReadonlySet<string>;
  readonly mappedTypes: ReadonlySet<string>;
  readonly checkRules: ReadonlySet<string>;
  readonly features: ReadonlyMap<string, number>;
  readonly diagnostics: ReadonlyMap<string, number>;
}

export function emptyCoverage(): Coverage {
  return { grammarRules: new Set(), overloads: new Set(), fieldKinds: new Set(), mappedTypes: new Set(), checkRules: new Set(), features: new Map(), diagnostics: new Map() };
}

const isNode = (e: CstElement): e is CstNode => 'children' in e;

function walk(node: CstNode, seen: Set<string>): void {
  seen.add(node.name);
  for (const children of Object.values(node.children)) for (const child of children) if (isNode(child)) walk(child, seen);
}

const count = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

export function addToCoverage(coverage: Coverage, checked: Checked): void {
  const grammar = coverage.grammarRules as Set<string>;
  for (const [file, text] of [[`${checked.program.name}.pipe`, checked.program.text], ...Object.entries(checked.program.library)] as const) {
    walk(parseTokens(lex({ path: file, text }).tokens).cst, grammar);
  }
  for (const s of checked.program.schemas) {
    for (const k of s.kinds) (coverage.fieldKinds as Set<string>).add(k);
    for (const m of mappedTypes(s.schema.row)) (coverage.mappedTypes as Set<string>).add(m);
  }
  const accepted = checked.compiled.output !== undefined;
  for (const f of checked.program.features) {
    if (f.startsWith('call:') && accepted) (coverage.overloads as Set<string>).add(f.slice('call:'.length));
    count(coverage.features as Map<string, number>, f);
  }
  for (const d of checked.compiled.diagnostics) count(coverage.diagnostics as Map<string, number>, d.code);
  const bound = checked.compiled.program;
  if (bound) for (const rule of RULES) if (check(bound, [rule]).length > 0) (coverage.checkRules as Set<string>).add(rule.name);
}

export const ALL_GRAMMAR_RULES: readonly string[] = Object.keys(pipeParser().getGAstProductions());
export const ALL_OVERLOADS: readonly string[] = OVERLOADS.map((o) => `${o.name}#${o.index}`);

/** The overloads a program on this Flink line can call (not those of a later line). */
export function overloadsOn(version: FlinkLine): string[] {
  return OVERLOADS.filter((o) => lineAtLeast(version, o.since)).map((o) => `${o.name}#${o.index}`);
}

export const ALL_CHECK_RULES: readonly string[] = RULES.map((r) => r.name);

function line(label: string, hit: ReadonlySet<string>, all: readonly string[]): string {
  const missing = all.filter((x) => !hit.has(x));
  const pct = all.length === 0 ? 100 : Math.round((100 * (all.length - missing.length)) / all.length);
  return `${label}: ${all.length - missing.length}/${all.length} (${pct}%)${missing.length > 0 ? `\n    not hit: ${missing.join(', ')}` : ''}`;
}

export function formatCoverage(c: Coverage, version: FlinkLine): string {
  return [
    line('grammar rules', c.grammarRules, ALL_GRAMMAR_RULES),
    line(`stdlib overloads on Flink ${version}`, c.overloads, overloadsOn(version)),
    line('check rules fired', c.checkRules, ALL_CHECK_RULES),
    `Avro field kinds: ${[...c.fieldKinds].sort().join(', ')}`,
    `Flink types mapped: ${[...c.mappedTypes].sort().join(', ')}`,
    `constructs: ${[...c.features.entries()].filter(([f]) => !f.startsWith('call:')).sort().map(([f, n]) => `${f} ${n}`).join(', ')}`,
    `diagnostics: ${[...c.diagnostics.entries()].sort().map(([d, n]) => `${d} ${n}`).join(', ')}`,
  ].join('\n');
}
