/**
 * The differential check: compile each generated program with pipec, plan every job pipec accepts with the real
 * Flink planner (one JVM per Flink line for the whole batch), and compare, per stream and sink, pipec's bound
 * result with the planner's: column names, types, nullability and time attributes of every view, and each
 * sink's changelog mode. A near-miss the planner rejects must have been rejected by pipec first.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CompileResult } from '../../compiler/compile.ts';
import type { BoundProgram } from '../../compiler/semantic/bound.ts';
import { stripTimeAttribute } from '../../compiler/types/coercion.ts';
import { formatType, type SqlType } from '../../compiler/types/types.ts';
import { runFlinkPlanner, type PlannerResult, type PlannerView } from '../../targets/flink-sql/planner-check/index.ts';
import { compileFiles, configFor } from '../helpers/check.ts';
import type { Program } from './programs.ts';
import { lookupOf } from './schemas.ts';

export interface Checked {
  readonly program: Program;
  readonly compiled: CompileResult;
  readonly planner: PlannerResult | undefined;
  /** What pipec and the planner disagree on; empty when they agree. */
  readonly disagreements: readonly string[];
}

const SUBSTITUTIONS = { '${pipec:registry.url}': 'http://127.0.0.1:1', '${pipec:kafka.bootstrap_servers}': '127.0.0.1:1' };

export function compile(program: Program): CompileResult {
  return compileFiles({ [`${program.name}.pipe`]: program.text }, lookupOf(program.schemas), configFor(program.version));
}

/** Plans the accepted programs (all of one Flink line) in one JVM and compares. */
export async function differential(programs: readonly Program[], version: Program['version']): Promise<{ checked: Checked[]; plannerMs: number }> {
  const compiled = programs.map((program) => ({ program, compiled: compile(program) }));
  const dir = await mkdtemp(path.join(tmpdir(), `pipec-conformance-${version}-`));
  try {
    const files: string[] = [];
    const fileOf = new Map<Program, string>();
    for (const { program, compiled: result } of compiled) {
      const job = result.output?.artifacts.find((a) => a.path === `${program.name}/job.sql`)?.contents;
      if (job === undefined) continue;
      const file = path.join(dir, `${program.name}.sql`);
      await writeFile(file, job);
      files.push(file);
      fileOf.set(program, file);
    }
    await mkdir(dir, { recursive: true });
    const run = files.length > 0 ? await runFlinkPlanner(files, version, { substitutions: SUBSTITUTIONS }) : undefined;
    const byFile = new Map((run?.results ?? []).map((r) => [r.file, r]));
    const checked = compiled.map(({ program, compiled: result }): Checked => {
      const file = fileOf.get(program);
      const planner = file === undefined ? undefined : byFile.get(file);
      return { program, compiled: result, planner, disagreements: compare(program, result, planner) };
    });
    return { checked, plannerMs: run?.jvmWallMs ?? 0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function errorsOf(result: CompileResult): string {
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`).join('; ');
}

export function compare(program: Program, result: CompileResult, planner: PlannerResult | undefined): string[] {
  const accepted = result.output !== undefined;
  if (program.expect === 'near-miss') {
    // pipec may be stricter (a documented rule); it must never let through what the planner refuses.
    if (accepted && planner && !planner.ok) return [`the planner rejects what pipec accepted (${program.mutation ?? ''}): ${firstLine(planner.error?.message)}`];
    return [];
  }
  if (!accepted) return [`pipec rejects a valid program: ${errorsOf(result)}`];
  if (!planner) return ['no planner result'];
  if (!planner.ok) return [`the planner rejects what pipec accepted: ${firstLine(planner.error?.message)}`];
  const bound = result.program;
  return bound ? [...compareViews(bound, planner.views), ...compareSinks(result, planner)] : ['no bound program'];
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

function compareViews(bound: BoundProgram, views: readonly PlannerView[]): string[] {
  const out: string[] = [];
  for (const stream of bound.pipelines.flatMap((p) => p.streams)) {
    const view = views.find((v) => v.name === stream.name);
    if (!view) {
      out.push(`stream ${stream.name}: no view in the planner`);
      continue;
    }
    const ours = stream.type.columns.map((c) => `${c.name} ${summaryOf(c.type)}`);
    const theirs = view.columns.map((c) => `${c.name} ${normalizeFlink(c.type)}`);
    if (ours.join('\n') !== theirs.join('\n')) {
      const diff = ours.flatMap((o, i) => (o === theirs[i] ? [] : [`pipec \`${o}\`, Flink \`${theirs[i] ?? '(none)'}\``]));
      if (theirs.length > ours.length) diff.push(...theirs.slice(ours.length).map((x) => `pipec (none), Flink \`${x}\``));
      out.push(`stream ${stream.name}: ${diff.join('; ')}`);
    }
  }
  return out;
}

function compareSinks(result: CompileResult, planner: PlannerResult): string[] {
  const out: string[] = [];
  for (const sink of result.plan?.pipelines.flatMap((p) => p.sinks) ?? []) {
    const flink = planner.sinks.find((s) => s.table === sink.table);
    if (!flink) {
      out.push(`sink ${sink.table}: not in the plan`);
      continue;
    }
    const flinkAppend = flink.changelogMode === 'I';
    if (flinkAppend !== (sink.changelog.kind === 'append')) out.push(`sink ${sink.table}: pipec says ${sink.changelog.kind}, Flink writes ${flink.changelogMode}`);
  }
  return out;
}
