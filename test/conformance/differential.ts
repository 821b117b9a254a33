/**
 * The differential check: compile each generated program with pipec, plan every job pipec accepts with the real
 * Flink planner (one JVM per Flink line for the whole batch), and compare, per stream and sink, pipec's bound
 * result with the planner's: column names, types, nullability and time attributes of every view, and each
 * sink's changelog mode and upsert key. A near-miss the planner rejects must have been rejected by pipec first.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CompileResult } from '../../compiler/compile.ts';
import type { SinkPlan } from '../../compiler/plan/plan.ts';
import type { BoundProgram } from '../../compiler/semantic/bound.ts';
import { stripTimeAttribute } from '../../compiler/types/coercion.ts';
import { formatType, type SqlType } from '../../compiler/types/types.ts';
import { runFlinkPlanner, type PlannerResult, type PlannerView } from '../planner-check/index.ts';
import { compileFiles, configFor } from '../helpers/check.ts';
import { runtimeClasspath } from '../helpers/runtime-classpath.ts';
import type { Program } from './programs.ts';
import { lookupOf } from './schemas.ts';

export interface Checked {
  readonly program: Program;
  readonly compiled: CompileResult;
  readonly planner: PlannerResult | undefined;
  /** What pipec and the planner disagree on; empty when they agree. */
  readonly disagreements: readonly string[];
  /** Where pipec is deliberately more cautious than the planner (see `compare`): counted, not failed. */
  readonly cautious: readonly string[];
}

const SUBSTITUTIONS = { '${pipec:registry.url}': 'http://127.0.0.1:1', '${pipec:kafka.bootstrap_servers}': '127.0.0.1:1' };

export function compile(program: Program): CompileResult {
  return compileFiles({ ...program.library, [`${program.name}.pipe`]: program.text }, lookupOf(program.schemas), configFor(program.version));
}

/**
 * The pipec Flink runtime's jar (its `pipec-guard` format reads sources with `on error skip` or `dead letter`;
 * `else fail` calls its PIPEC_RAISE_ERROR), built once per Flink line and run.
 */
const runtimeJars = new Map<Program['version'], Promise<string[]>>();
function runtimeJarsOf(version: Program['version']): Promise<string[]> {
  const cached = runtimeJars.get(version);
  if (cached) return cached;
  const built = runtimeClasspath(version);
  runtimeJars.set(version, built);
  return built;
}

const DEAD_LETTER_SOURCE = / on error dead letter '[^']*'/g;

/**
 * A source that dead-letters is read through a guarded table whose data columns Flink types nullable (an
 * undecodable record's are NULL; the source's view keeps the decoded rows only, and the guard rejects a record
 * with a NULL where the schema has none), so the planner's types of such a program are nullable where pipec's
 * are not. Its streams are compared with the plan of its twin read with `on error skip`, whose guard rejects the
 * same records and keeps the declared types; the program itself must still plan, with the same sinks.
 */
function skippingTwin(program: Program): Program | undefined {
  const hits = [program.text, ...Object.values(program.library)].some((text) => text.match(DEAD_LETTER_SOURCE));
  if (!hits) return undefined;
  const skip = (text: string): string => text.replaceAll(DEAD_LETTER_SOURCE, ' on error skip');
  return { ...program, text: skip(program.text), library: Object.fromEntries(Object.entries(program.library).map(([f, text]) => [f, skip(text)])) };
}

/** Plans the accepted programs (all of one Flink line) in one JVM and compares. */
export async function differential(programs: readonly Program[], version: Program['version']): Promise<{ checked: Checked[]; plannerMs: number }> {
  const compiled = programs.map((program) => ({ program, compiled: compile(program) }));
  const dir = await mkdtemp(path.join(tmpdir(), `pipec-conformance-${version}-`));
  try {
    const files: string[] = [];
    const fileOf = new Map<Program, string>();
    const twinFileOf = new Map<Program, string>();
    const jobOf = (program: Program, result: CompileResult): string | undefined => result.output?.artifacts.find((a) => a.path === `${program.name}/job.sql`)?.contents;
    for (const { program, compiled: result } of compiled) {
      const job = jobOf(program, result);
      if (job === undefined) continue;
      const file = path.join(dir, `${program.name}.sql`);
      await writeFile(file, job);
      files.push(file);
      fileOf.set(program, file);
      const twin = program.expect === 'valid' ? skippingTwin(program) : undefined;
      const twinJob = twin ? jobOf(twin, compile(twin)) : undefined;
      if (twinJob === undefined) continue;
      const twinFile = path.join(dir, `${program.name}.skipping.sql`);
      await writeFile(twinFile, twinJob);
      files.push(twinFile);
      twinFileOf.set(program, twinFile);
    }
    await mkdir(dir, { recursive: true });
    const run = files.length > 0 ? await runFlinkPlanner(files, version, { substitutions: SUBSTITUTIONS, extraClasspath: await runtimeJarsOf(version) }) : undefined;
    const byFile = new Map((run?.results ?? []).map((r) => [r.file, r]));
    const checked = compiled.map(({ program, compiled: result }): Checked => {
      const file = fileOf.get(program);
      const planner = file === undefined ? undefined : byFile.get(file);
      const twinFile = twinFileOf.get(program);
      const typed = twinFile === undefined ? planner : byFile.get(twinFile);
      return { program, compiled: result, planner, ...compare(program, result, planner, typed) };
    });
    return { checked, plannerMs: run?.jvmWallMs ?? 0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function errorsOf(result: CompileResult): string {
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`).join('; ');
}

/**
 * Documented rules by which pipec refuses programs the planner would plan: sink types (docs/types.md), and an
 * upsert sink keyed otherwise than its stream (docs/language.md, sinks: Flink runs it and merges rows by the
 * wrong key), a top-N per session window (Flink documents it as unsupported; its planner fails on some).
 */
const DELIBERATE_RULES = new Set(['sink-type-unsupported', 'sink-key-mismatch', 'session-window-top-n']);

/**
 * Disagreements fail; differences in the safe direction are `cautious`: a column pipec calls nullable that Flink
 * types NOT NULL (the sink column then accepts NULLs: STDDEV_SAMP, LISTAGG… are NULL at run time for one row
 * although Flink types them NOT NULL), a column Flink's view still lists as a time attribute that pipec treats
 * as a plain timestamp (a view's schema is validated before the optimizer materializes time attributes, e.g. in
 * regular joins and rankings), a stream pipec calls updating that Flink writes as inserts only (pipec asks for
 * an upsert key it could do without), and a refusal by a documented stricter rule.
 */
export function compare(program: Program, result: CompileResult, planner: PlannerResult | undefined, typed: PlannerResult | undefined = planner): { disagreements: string[]; cautious: string[] } {
  const accepted = result.output !== undefined;
  const none = { disagreements: [], cautious: [] };
  if (program.expect === 'near-miss') {
    // pipec may be stricter (a documented rule); it must never let through what the planner refuses.
    if (accepted && planner && !planner.ok) return { disagreements: [`the planner rejects what pipec accepted (${program.mutation ?? ''}): ${firstLine(planner.error?.message)}`], cautious: [] };
    return none;
  }
  if (!accepted) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0 && errors.every((d) => DELIBERATE_RULES.has(d.code))) return { disagreements: [], cautious: [`refused by ${errors[0]?.code ?? ''}`] };
    return { disagreements: [`pipec rejects a valid program: ${errorsOf(result)}`], cautious: [] };
  }
  if (!planner) return { disagreements: ['no planner result'], cautious: [] };
  if (!planner.ok) return { disagreements: [`the planner rejects what pipec accepted: ${firstLine(planner.error?.message)}`], cautious: [] };
  const bound = result.program;
  if (!bound) return { disagreements: ['no bound program'], cautious: [] };
  if (!typed?.ok) return { disagreements: [`the planner rejects the program read with \`on error skip\` instead of \`dead letter\`: ${firstLine(typed?.error?.message)}`], cautious: [] };
  const views = compareViews(bound, typed.views);
  const sinks = compareSinks(result, planner);
  return { disagreements: [...views.disagreements, ...sinks.disagreements], cautious: [...views.cautious, ...sinks.cautious] };
}

const firstLine = (message: string | undefined): string => (message ?? '').split('\n').slice(0, 3).join(' | ');

/** A type as Flink's LogicalType#asSummaryString prints it, time attribute apart. */
export function summaryOf(type: SqlType): string {
  const attribute = (type.kind === 'TIMESTAMP' || type.kind === 'TIMESTAMP_LTZ') && type.timeAttribute ? ` *${type.timeAttribute.toUpperCase()}*` : '';
  return `${formatType(stripTimeAttribute(type))}${attribute}`;
}

/** Flink's summary with the time attribute last and unbounded strings as STRING/BYTES, as summaryOf writes them. */
export function normalizeFlink(summary: string): string {
  return summary.replaceAll('VARCHAR(2147483647)', 'STRING').replaceAll('VARBINARY(2147483647)', 'BYTES');
}

function compareViews(bound: BoundProgram, views: readonly PlannerView[]): { disagreements: string[]; cautious: string[] } {
  const disagreements: string[] = [];
  const cautious: string[] = [];
  for (const stream of bound.pipelines.flatMap((p) => p.streams)) {
    const view = views.find((v) => v.name === stream.name);
    if (!view) {
      disagreements.push(`stream ${stream.name}: no view in the planner`);
      continue;
    }
    const count = Math.max(stream.type.columns.length, view.columns.length);
    for (let i = 0; i < count; i++) {
      const ours = stream.type.columns[i];
      const theirs = view.columns[i];
      const pipec = ours ? `${ours.name} ${summaryOf(ours.type)}` : '(none)';
      const flink = theirs ? `${theirs.name} ${normalizeFlink(theirs.type)}` : '(none)';
      if (pipec === flink) continue;
      const what = `stream ${stream.name}: pipec \`${pipec}\`, Flink \`${flink}\``;
      (ours && theirs && isSaferThan(summaryOf(ours.type), normalizeFlink(theirs.type)) && ours.name === theirs.name ? cautious : disagreements).push(what);
    }
  }
  return { disagreements, cautious };
}

/**
 * pipec's type differs from Flink's only by saying nullable where Flink says NOT NULL, or by leaving out a
 * time attribute Flink's (pre-optimizer) view schema still shows: Flink's text with some ` NOT NULL` and
 * ` *ROWTIME*` / ` *PROCTIME*` left out is pipec's.
 */
function isSaferThan(pipec: string, flink: string): boolean {
  const optional = [' NOT NULL', ' *ROWTIME*', ' *PROCTIME*'];
  let i = 0;
  let j = 0;
  while (i < pipec.length || j < flink.length) {
    if (pipec[i] === flink[j] && i < pipec.length) {
      const skip = optional.find((o) => flink.startsWith(o, j) && !pipec.startsWith(o, i));
      if (skip === undefined) {
        i++;
        j++;
        continue;
      }
    }
    const skip = optional.find((o) => flink.startsWith(o, j));
    if (skip === undefined) return false;
    j += skip.length;
  }
  return true;
}

function compareSinks(result: CompileResult, planner: PlannerResult): { disagreements: string[]; cautious: string[] } {
  const disagreements: string[] = [];
  const cautious: string[] = [];
  for (const sink of result.plan?.pipelines.flatMap((p) => p.sinks) ?? []) {
    const flink = planner.sinks.find((s) => s.table === sink.table);
    if (!flink) {
      disagreements.push(`sink ${sink.table}: not in the plan`);
      continue;
    }
    const flinkAppend = flink.changelogMode === 'I';
    if (flinkAppend !== (sink.changelog.kind === 'append')) {
      (flinkAppend ? cautious : disagreements).push(`sink ${sink.table}: pipec says ${sink.changelog.kind}, Flink writes ${flink.changelogMode}`);
      continue;
    }
    const upsertKey = upsertKeyFinding(sink, flink.upsertMaterialize);
    if (upsertKey) (upsertKey.cautious ? cautious : disagreements).push(upsertKey.what);
  }
  return { disagreements, cautious };
}

/**
 * The upsert key: pipec writes an updating stream into an upsert sink keyed by the stream's key (sink-key), and
 * Flink materializes the sink (SinkUpsertMaterializer, `upsertMaterialize` in the compiled plan) when the upsert
 * key it derives for its input is not the sink's primary key. Materialized where pipec derived that key is a
 * disagreement (the two derive different keys); where pipec derived none (after a join or a union: pipec warns,
 * sink-key-not-unique) it is cautious, as is a key Flink derives where pipec has none.
 */
function upsertKeyFinding(sink: SinkPlan, materialized: boolean): { what: string; cautious: boolean } | undefined {
  if (sink.changelog.kind !== 'updating' || !sink.upsert) return undefined;
  const key = sink.changelog.key;
  if (key === undefined) return { what: `sink ${sink.table}: pipec derives no upsert key, Flink ${materialized ? 'materializes the sink' : 'derives the sink key'}`, cautious: true };
  if (!materialized) return undefined;
  return { what: `sink ${sink.table}: pipec keys the stream by (${key.join(', ')}), Flink's upsert key differs (it materializes the sink)`, cautious: false };
}

/** The select items of a generated `stream s as select … from …` line, split at top-level commas. */
function selectItems(line: string): { head: string; items: string[]; tail: string } | undefined {
  const start = line.match(/^stream s as select (distinct )?/)?.[0];
  if (!start) return undefined;
  let depth = 0;
  let quoted = false;
  const items: string[] = [];
  let current = '';
  for (let i = start.length; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === "'") quoted = !quoted;
    if (!quoted && (c === '(' || c === '[')) depth++;
    if (!quoted && (c === ')' || c === ']')) depth--;
    if (!quoted && depth === 0 && line.startsWith(' from ', i)) return { head: start, items: [...items, current], tail: line.slice(i) };
    if (!quoted && depth === 0 && c === ',') {
      items.push(current);
      current = '';
      i++;
      continue;
    }
    current += c;
  }
  return undefined;
}

/** Programs one edit smaller: a select item or the WHERE clause of stream `s` left out. */
function smaller(program: Program): Program[] {
  const lines = program.text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('stream s as select '));
  const line = lines[at];
  if (at < 0 || line === undefined) return [];
  const edits: string[] = [];
  const parts = selectItems(line);
  if (parts && parts.items.length > 1) {
    for (let i = 0; i < parts.items.length; i++) edits.push(`${parts.head}${parts.items.filter((_, j) => j !== i).join(', ')}${parts.tail}`);
  }
  const where = line.replace(/ where .*?( group by | having |;$)/, '$1');
  if (where !== line) edits.push(where);
  return edits.map((edit) => ({ ...program, text: lines.map((l, i) => (i === at ? edit : l)).join('\n') }));
}

const kindOf = (disagreement: string): string => disagreement.replace(/[`:(].*$/, '');

/**
 * Shrinks each failing program: repeatedly leaves out one select item or the WHERE clause while the smaller
 * program still shows a disagreement of the same kind (each round plans all candidates in one JVM).
 */
export async function shrink(failing: readonly Checked[], version: Program['version'], rounds = 4): Promise<Checked[]> {
  let current = [...failing];
  for (let round = 0; round < rounds; round++) {
    const candidates = current.flatMap((c, owner) => smaller(c.program).map((program, i) => ({ owner, program: { ...program, name: `${c.program.name}_s${round}_${i}` } })));
    if (candidates.length === 0) break;
    const { checked } = await differential(candidates.map((c) => c.program), version);
    let progress = false;
    current = current.map((c, owner) => {
      const kinds = new Set(c.disagreements.map(kindOf));
      const better = checked.find((x, i) => candidates[i]?.owner === owner && x.disagreements.some((d) => kinds.has(kindOf(d))));
      if (!better) return c;
      progress = true;
      return better;
    });
    if (!progress) break;
  }
  return current;
}
