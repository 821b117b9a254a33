/**
 * Real runs: generated valid programs that pipec accepts run as `pipec test` runs a pipeline (its own Flink job,
 * sources reading bounded files, sinks collecting what they receive; compiler/cli/test.ts) on a MiniCluster,
 * with generated records (records.ts). A run must finish, and every row a sink receives must fit the schema
 * pipec registers for the sink (fits-schema.ts).
 */
import path from 'node:path';
import { runPipelineJob } from '../../compiler/cli/test.ts';
import type { CompileResult } from '../../compiler/compile.ts';
import type { PipelinePlan, SinkPlan } from '../../compiler/plan/plan.ts';
import type { CanonicalRow } from '../../compiler/testing/check-tests.ts';
import type { FlinkLine } from '../../stdlib/flink-lines.ts';
import type { FlinkTestSession, RunnerChange } from '../../targets/flink-sql/test-runner/index.ts';
import { configFor } from '../helpers/check.ts';
import { compile } from './differential.ts';
import { misfits } from './fits-schema.ts';
import { generateValid, type Program } from './programs.ts';
import { Random } from './random.ts';
import { generateInputs, type Inputs } from './records.ts';

export interface Candidate {
  readonly program: Program;
  readonly pipeline: PipelinePlan;
  /** The program's own generator, after the program: its records are drawn from it. */
  readonly records: Random;
}

/**
 * The first `count` generated valid programs of a seed that pipec accepts (a program's index and name are its
 * place among all generated ones, so `CONFORMANCE_PROGRAM=c17` replays one: see `candidateNamed`).
 */
export function candidates(seed: number, version: FlinkLine, count: number): Candidate[] {
  const r = new Random(seed);
  const out: Candidate[] = [];
  for (let i = 0; out.length < count && i < count * 4; i++) {
    const candidate = candidateOf(r.fork(), i, version);
    if (candidate) out.push(candidate);
  }
  return out;
}

/** The program `c<index>` of a seed, if pipec accepts it. */
export function candidateNamed(seed: number, version: FlinkLine, name: string): Candidate | undefined {
  const r = new Random(seed);
  const index = Number(name.replace(/^c/, ''));
  for (let i = 0; i < index; i++) r.fork();
  return candidateOf(r.fork(), index, version);
}

function candidateOf(own: Random, index: number, version: FlinkLine): Candidate | undefined {
  const program = generateValid(own, index, version);
  const pipeline = pipelineOf(program, compile(program));
  return pipeline ? { program, pipeline, records: own.fork() } : undefined;
}

function pipelineOf(program: Program, result: CompileResult): PipelinePlan | undefined {
  return result.output === undefined ? undefined : result.plan?.pipelines.find((p) => p.name === program.name);
}

/** Constructs, as the coverage report counts them: every feature but stdlib calls (which come last in a sample). */
export const isConstruct = (feature: string): boolean => !feature.startsWith('call:');

/**
 * Features in the order a sample covers them: the join kinds, then the shapes and source and sink kinds, then the
 * other constructs, then the stdlib functions called (whose generated code only a run compiles).
 */
const TIERS: readonly ((feature: string) => boolean)[] = [
  (f) => f.startsWith('join:'),
  (f) => /^(window:|top:|dedupe:|unnest:|cdc:|expect:|on-error:|union-all$|group-aggregate$|subquery$|chained-stream$|distinct$|metadata$|import$)/.test(f),
  isConstruct,
  () => true,
];

/**
 * `size` candidates: first programs that bring features neither the sample nor `already` (what earlier samples
 * ran) has, tier by tier, then random ones (by `r`).
 */
export function sample(pool: readonly Candidate[], size: number, r: Random, already: ReadonlySet<string> = new Set()): Candidate[] {
  const chosen: Candidate[] = [];
  const covered = new Set(already);
  const fresh = (c: Candidate, tier: (f: string) => boolean): number => new Set(c.program.features.filter((f) => tier(f) && !covered.has(f))).size;
  for (const tier of TIERS) {
    while (chosen.length < size) {
      let best: Candidate | undefined;
      for (const c of pool) if (!chosen.includes(c) && fresh(c, tier) > 0 && (!best || fresh(c, tier) > fresh(best, tier))) best = c;
      if (!best) break;
      chosen.push(best);
      for (const f of best.program.features) covered.add(f);
    }
  }
  const rest = r.shuffle(pool.filter((c) => !chosen.includes(c)));
  return [...chosen, ...rest.slice(0, size - chosen.length)];
}

export type Outcome =
  /** It ran; `problems` are rows that do not fit their sink's registered schema; `unchecked`, sinks with none (raw, dead letters). */
  | { readonly kind: 'ran'; readonly rows: Readonly<Record<string, number>>; readonly problems: readonly string[]; readonly unchecked: readonly string[] }
  /** The job failed as documented for its input: an `else fail` expectation a record did not meet, a function's bad input. */
  | { readonly kind: 'failed-by-design'; readonly reason: string; readonly error: string }
  | { readonly kind: 'error'; readonly error: string };

export interface Run {
  readonly candidate: Candidate;
  readonly inputs: Inputs;
  readonly outcome: Outcome;
  readonly ms: number;
}

const JOB_TIMEOUT_MS = 60_000;

/** Job failures the generated records may cause by design, each documented: counted, not failed. */
const FAILURES_BY_DESIGN: readonly { readonly reason: string; readonly applies: (p: Program) => boolean; readonly error: RegExp }[] = [
  { reason: 'an `else fail` expectation', applies: (p) => / else fail/.test(p.text), error: /does not meet expectation/ },
  { reason: 'date_format with a pattern from a column (docs/functions.md)', applies: (p) => p.features.some((f) => f.startsWith('call:date_format#')), error: /Unsupported field: Offset|Unable to extract ZoneId|Unknown pattern letter|Illegal pattern character/ },
  { reason: 'from_base64 of text that is not base64 (docs/functions.md)', applies: (p) => p.features.some((f) => f.startsWith('call:from_base64#')), error: /Illegal base64 character|4-byte ending unit|should at least have 2 bytes for base64 bytes/ },
  { reason: 'element of an array with more than one element (docs/functions.md)', applies: (p) => p.features.some((f) => f.startsWith('call:element#')), error: /Array has more than one element/ },
  {
    reason: 'a SimpleDateFormat pattern read from a column (docs/functions.md: to_date, unix_timestamp, from_unixtime)',
    applies: (p) => p.features.some((f) => /^call:(to_date|unix_timestamp|from_unixtime)#/.test(f)),
    error: /Illegal pattern character|Unterminated quote/,
  },
  { reason: 'an integer divided by 0 read from a column (docs/types.md, docs/functions.md: mod)', applies: (p) => p.features.some((f) => f.startsWith('call:mod#')) || / \/ /.test(p.text), error: /\/ by zero/ },
  { reason: 'rand_integer with a bound of 0 or less read from a column (docs/functions.md)', applies: (p) => p.features.some((f) => f.startsWith('call:rand_integer#')), error: /bound must be positive/ },
];

/** Runs one program with its generated records on the session; `dir` holds its input files. */
export async function runProgram(session: FlinkTestSession, candidate: Candidate, dir: string): Promise<Run> {
  const started = Date.now();
  const { program, pipeline } = candidate;
  const upsertKeys = new Set(pipeline.sinks.filter((s) => s.upsert).flatMap((s) => s.keyColumns));
  const inputs = generateInputs(pipeline.sources, program.schemas, upsertKeys, candidate.records);
  const result = await runPipelineJob(session, pipeline, inputs, path.join(dir, program.name), configFor(program.version), JOB_TIMEOUT_MS);
  const ms = Date.now() - started;
  if (!result.ok) {
    const reason = FAILURES_BY_DESIGN.find((f) => f.applies(program) && f.error.test(result.error))?.reason;
    return { candidate, inputs, outcome: reason === undefined ? { kind: 'error', error: result.error } : { kind: 'failed-by-design', reason, error: result.error }, ms };
  }
  const rows: Record<string, number> = {};
  const problems: string[] = [];
  for (const sink of pipeline.sinks) {
    const changes = result.sinks[sink.table] ?? [];
    rows[sink.table] = changes.length;
    for (const change of changes) problems.push(...changeMisfits(sink, change));
  }
  const unchecked = pipeline.sinks.filter((s) => !s.value.registers || s.value.registers.schemaType === 'PROTOBUF').map((s) => s.table);
  return { candidate, inputs, outcome: { kind: 'ran', rows, problems, unchecked }, ms };
}

/**
 * A change against its sink's registered schemas: the key's (of every change), the value's (of an insert or an
 * update; an upsert sink writes a delete as a tombstone, an append sink takes inserts only).
 */
function changeMisfits(sink: SinkPlan, change: RunnerChange): string[] {
  const row = change.row as CanonicalRow;
  const where = `sink ${sink.table}, ${change.kind} ${JSON.stringify(row)}`;
  const out: string[] = [];
  const insert = change.kind === '+I' || change.kind === '+U';
  if (!insert && !sink.upsert) out.push(`${where}: an append-only sink received ${change.kind}`);
  const key = sink.key?.registers;
  if (key) out.push(...misfits(Object.fromEntries(sink.keyColumns.map((c) => [c, row[c] ?? null])), key).map((p) => `${where}: key ${p}\n    registered key schema: ${compact(key.schema)}`));
  const value = sink.value.registers;
  if (value && insert) out.push(...misfits(row, value).map((p) => `${where}: value ${p}\n    registered value schema: ${compact(value.schema)}`));
  return out;
}

const compact = (schema: string): string => JSON.stringify(JSON.parse(schema) as unknown);

/** A failed run, replayable: its seed and name, its `.pipe` text (and library), its records, and what failed. */
export function describeRun(run: Run, seed: number): string {
  const { program } = run.candidate;
  const what = run.outcome.kind === 'ran' ? run.outcome.problems.slice(0, 10).join('\n  ') : `Flink: ${run.outcome.error.slice(0, 3000)}`;
  const library = Object.entries(program.library).map(([file, text]) => `-- ${file}\n${text}`).join('');
  const records = run.inputs.map((i) => `  ${i.source.name}:\n${i.changes.map((c) => `    ${JSON.stringify(i.source.primaryKey.length > 0 ? c : c.after)}`).join('\n')}`).join('\n');
  return [
    `── ${program.name} on Flink ${program.version} (replay: CONFORMANCE_SEED=${seed} CONFORMANCE_PROGRAM=${program.name} CONFORMANCE_LINES=${program.version})`,
    `  ${what}`,
    `${library}${program.text}`,
    'records:',
    records,
  ].join('\n');
}
