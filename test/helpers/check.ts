/**
 * Test harness for the semantic phases: `.pipe` snippets in, diagnostics (code, line, column) out.
 * Schemas are given inline as rows, the way the schema layer would hand them over, so tests of the checker
 * depend on neither a registry nor the schema mappers.
 */
import { parse, type ParsedFile } from '../../compiler/ast/parse.ts';
import { checkProgram, compileProgram, type CheckResult, type CompileResult } from '../../compiler/compile.ts';
import type { ResolvedConfig } from '../../compiler/config/schema.ts';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.ts';
import { renderHuman } from '../../compiler/diagnostics/render.ts';
import type { SchemaLookup, SubjectSchema } from '../../compiler/semantic/catalog.ts';
import { lineColumnOf } from '../../compiler/source/source.ts';
import type { Rule } from '../../compiler/check/rule.ts';
import { check } from '../../compiler/check/index.ts';
import { t, type RowField } from '../../compiler/types/types.ts';
import type { FieldNote } from '../../compiler/schemas/mapping.ts';
import { DEFAULT_FLINK_LINE, type FlinkLine } from '../../stdlib/flink-lines.ts';

export const testConfig: ResolvedConfig = {
  project: 'test',
  pipelines: '.',
  schemas: 'schemas',
  out: 'build',
  rules: {},
  flink: { version: DEFAULT_FLINK_LINE },
  connections: {
    loans_db: { type: 'postgres', host: 'localhost', port: 5432, database: 'lending', user: 'u', password: '${env:PW}', topic_prefix: 'loans' },
    warehouse: { type: 'postgres', host: 'localhost', port: 5432, database: 'dw', user: 'u', password: '${env:PW}' },
    search: { type: 'elasticsearch', url: 'http://localhost:9200' },
    audit: { type: 'connector', properties: {} },
  },
  environment: 'default',
  root: '/project',
};

/** Schemas of the test world: a payments topic, a loans CDC table, a merchants changelog topic, log-ins. */
export const testSchemas: Readonly<Record<string, readonly RowField[]>> = {
  'payments-value': [
    { name: 'payment_id', type: t.string(false) },
    { name: 'loan_id', type: t.string(false) },
    { name: 'customer_id', type: t.string(false) },
    { name: 'amount', type: t.decimal(12, 2, false) },
    { name: 'currency', type: t.string(false) },
    { name: 'status', type: t.string(false) },
    { name: 'event_time', type: t.timestamp(3, false) },
    { name: 'created_micros', type: t.timestamp(6, false) },
    { name: 'address', type: t.row([{ name: 'city', type: t.string() }, { name: 'zip', type: t.string() }]) },
    { name: 'tags', type: t.array(t.string(false)) },
  ],
  'logins-value': [
    { name: 'customer_id', type: t.string(false) },
    { name: 'country', type: t.string(false) },
    { name: 'event_time', type: t.timestamp(3, false) },
  ],
  'merchants-key': [{ name: 'merchant_id', type: t.string(false) }],
  'merchants-value': [
    { name: 'merchant_id', type: t.string(false) },
    { name: 'category', type: t.string(false) },
    { name: 'risk_tier', type: t.int(false) },
    { name: 'updated_at', type: t.timestamp(3, false) },
  ],
  // A key with a field the value lacks and one it has: a layout Flink cannot read.
  'accounts-key': [{ name: 'account_id', type: t.string(false) }, { name: 'region', type: t.string(false) }],
  'accounts-value': [{ name: 'account_id', type: t.string(false) }, { name: 'balance', type: t.decimal(12, 2, false) }],
  // `booked_at` is an Avro timestamp-micros, which Flink's format reads as BIGINT (see testNotes).
  'ledger-value': [
    { name: 'entry_id', type: t.string(false) },
    { name: 'booked_at', type: t.bigint(false) },
  ],
  'loans.public.loans-value': [
    { name: 'before', type: t.row([{ name: 'loan_id', type: t.string(false) }, { name: 'customer_id', type: t.string(false) }, { name: 'principal', type: t.decimal(12, 2, false) }]) },
    { name: 'after', type: t.row([{ name: 'loan_id', type: t.string(false) }, { name: 'customer_id', type: t.string(false) }, { name: 'principal', type: t.decimal(12, 2, false) }]) },
    { name: 'op', type: t.string(false) },
  ],
};

/** What the Avro mapper notes about the test schemas' fields (schemas/mapping.ts FieldNote). */
export const testNotes: Readonly<Record<string, readonly FieldNote[]>> = {
  'ledger-value': [{ path: ['booked_at'], logicalType: 'timestamp-micros', flinkType: 'BIGINT', reason: 'Flink reads it as microseconds since the epoch', fix: 'micros-to-timestamp' }],
};

export function staticSchemas(rows: Readonly<Record<string, readonly RowField[]>> = testSchemas): SchemaLookup {
  return {
    get(subject): SubjectSchema | undefined {
      const row = rows[subject];
      return row ? { subject, version: 1, schemaType: 'AVRO', row, recordName: undefined, notes: testNotes[subject] } : undefined;
    },
    sink: () => undefined,
  };
}

/** Declarations most tests start from. */
export const PRELUDE = `
source payments from kafka topic 'payments' format avro event time event_time watermark 5 s;
source logins from kafka topic 'logins' format avro event time event_time watermark 5 s;
source merchants from kafka topic 'merchants' format avro primary key (merchant_id) event time updated_at watermark 0 s;
source loans from postgres table 'public.loans' via connection loans_db format avro primary key (loan_id);
`;

export function parseFiles(files: Readonly<Record<string, string>>): ParsedFile[] {
  return Object.entries(files).map(([path, text]) => parse({ path, text }));
}

/** The test configuration targeting another Flink line. */
export const configFor = (version: FlinkLine): ResolvedConfig => ({ ...testConfig, flink: { version } });

export function checkFiles(files: Readonly<Record<string, string>>, schemas: SchemaLookup = staticSchemas(), config: ResolvedConfig = testConfig): CheckResult & { parsed: ParsedFile[] } {
  const parsed = parseFiles(files);
  return { ...checkProgram(parsed, config, schemas), parsed };
}

/** The whole compile (check, plan, code generation) of in-memory files. */
export function compileFiles(files: Readonly<Record<string, string>>, schemas: SchemaLookup = staticSchemas(), config: ResolvedConfig = testConfig): CompileResult & { parsed: ParsedFile[] } {
  // `*.hbs` entries are the project's connector templates (connectors/<name>.hbs), by their base name.
  const isTemplate = (p: string) => p.endsWith('.hbs');
  const parsed = parseFiles(Object.fromEntries(Object.entries(files).filter(([p]) => !isTemplate(p))));
  const connectorTemplates = Object.fromEntries(Object.entries(files).filter(([p]) => isTemplate(p)).map(([p, text]) => [p.replace(/^.*\//, '').slice(0, -'.hbs'.length), text]));
  return { ...compileProgram(parsed, config, schemas, 'pipec test', { connectorTemplates }), parsed };
}

/** plan.json of pipeline `p` compiled from the prelude and `body` (what the deployer's classifier reads). */
export function planOf(body: string, header = 'pipeline p with (checkpoint = 10 s);'): string {
  const result = compileFiles({ 'p.pipe': `${header}\n${PRELUDE}\n${body}` });
  const plan = result.output?.artifacts.find((a) => a.path === 'p/plan.json')?.contents;
  if (!plan) throw new Error(`snippet does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return plan;
}

/** One pipeline file: the prelude, then the body. */
export function checkPipeline(body: string, rows?: Readonly<Record<string, readonly RowField[]>>, version: FlinkLine = '1.20'): CheckResult & { parsed: ParsedFile[] } {
  return checkFiles({ 'p.pipe': `pipeline p with (checkpoint = 10 s);\n${PRELUDE}\n${body}` }, staticSchemas(rows), configFor(version));
}

export interface Finding {
  readonly code: string;
  readonly line: number;
  readonly column: number;
}

/** Diagnostics as `{code, line, column}`, lines counted in the body passed to checkPipeline (the prelude is above it). */
export function findings(result: { diagnostics: readonly Diagnostic[]; parsed: readonly ParsedFile[] }, bodyOffsetLines = PRELUDE.split('\n').length + 1): Finding[] {
  return result.diagnostics.map((d) => {
    const source = result.parsed.find((p) => p.source.path === d.span?.file)?.source;
    const at = source && d.span ? lineColumnOf(source, d.span.start) : { line: 0, column: 0 };
    return { code: d.code, line: at.line - bodyOffsetLines, column: at.column };
  });
}

export function codes(result: { diagnostics: readonly Diagnostic[] }): string[] {
  return result.diagnostics.map((d) => d.code);
}

export function rendered(result: { diagnostics: readonly Diagnostic[]; parsed: readonly ParsedFile[] }): string {
  return result.diagnostics.map((d) => renderHuman(d, (p) => result.parsed.find((x) => x.source.path === p)?.source)).join('\n\n');
}

/** What a rule reported: its code, the exact source text its span covers, and its message. */
export interface RuleFinding {
  readonly code: string;
  readonly at: string;
  readonly message: string;
}

/** Runs one rule alone on the bound program of a snippet (the graphql-js harness shape). */
export function runRule(rule: Rule, body: string): RuleFinding[] {
  const result = checkPipeline(body);
  if (!result.program) throw new Error('snippet does not parse');
  const textOf = (d: Diagnostic): string => {
    const source = result.parsed.find((p) => p.source.path === d.span?.file)?.source;
    return source && d.span ? source.text.slice(d.span.start, d.span.end) : '(no span)';
  };
  return check(result.program, [rule]).map((d) => ({ code: d.code, at: textOf(d), message: d.message }));
}
