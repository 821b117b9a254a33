/**
 * A pipeline's Flink job made testable, on the SQL tree: the job exactly as lower.ts builds it (settings, views,
 * joins, windows, the sinks' tables with their keys), with only the endpoints swapped. Each source table reads the
 * test's records from a bounded file (the filesystem connector; JSON, or Debezium JSON for keyed sources, so
 * updates and deletes flow as a changelog like CDC and upsert topics do) and keeps its columns, computed columns,
 * primary key and watermark; each sink table writes to `pipec-collect`, which takes the changelog its Kafka
 * counterpart takes (insert-only, or upserts by the same primary key), so the planner adds the same changelog
 * handling. Pure.
 */
import type { PipelinePlan, SourcePlan } from '../../compiler/plan/plan.ts';
import type { SourceChange } from '../../compiler/testing/check-tests.ts';
import type { FlinkJob } from './lower.ts';
import { printScript } from './print.ts';
import type * as S from './sql-ast.ts';

export interface TestJob {
  /** Table configuration, applied before the statements (the job's SET statements, adjusted for a test run). */
  readonly settings: Readonly<Record<string, string>>;
  /** CREATE TABLE / CREATE VIEW statements, one per entry. */
  readonly statements: readonly string[];
  /** The job's statement set. */
  readonly run: string;
  /** The collecting sinks' table names. */
  readonly sinks: readonly string[];
}

/**
 * Settings a test run changes, and why: one task per operator, so records reach every operator in the order the
 * test gives them; UTC, so TIMESTAMP_LTZ values read and print as written; a watermark after (nearly) every
 * record instead of every 200 ms of wall time, so lateness depends on the data only. Checkpoints are off: a
 * bounded job would otherwise wait for a final checkpoint before it finishes.
 */
const TEST_SETTINGS: Readonly<Record<string, string>> = {
  'parallelism.default': '1',
  'table.local-time-zone': 'UTC',
  'pipeline.auto-watermark-interval': '1 ms',
};
const DROPPED_SETTINGS: ReadonlySet<string> = new Set(['execution.checkpointing.interval']);

export const COLLECT_CONNECTOR = 'pipec-collect';

export function testJob(p: PipelinePlan, job: FlinkJob, inputPath: (source: SourcePlan) => string): TestJob {
  const settings: Record<string, string> = {};
  const statements: string[] = [];
  const sinks = new Set(p.sinks.map((s) => s.table));
  const sources = new Map(p.sources.map((s) => [s.name, s]));
  for (const st of job.setup) {
    switch (st.kind) {
      case 'set':
        if (!DROPPED_SETTINGS.has(st.key)) settings[st.key] = st.value;
        break;
      case 'create-table': {
        const source = sources.get(st.name);
        const table = source ? sourceTable(st, source, inputPath(source)) : sinks.has(st.name) ? sinkTable(st) : st;
        statements.push(printScript([table]));
        break;
      }
      case 'create-view':
      case 'create-function':
      case 'alter-table':
      case 'create-table-like':
      case 'drop-table':
        statements.push(printScript([st]));
        break;
      case 'comment':
      case 'add-jar':
      case 'statement-set':
      case 'compile-plan':
      case 'execute-plan':
        break;
    }
  }
  return {
    settings: { ...settings, ...TEST_SETTINGS },
    statements,
    run: printScript([{ kind: 'statement-set', inserts: job.inserts }]),
    sinks: [...sinks],
  };
}

function sourceTable(t: S.CreateTable, source: SourcePlan, path: string): S.CreateTable {
  const format = source.primaryKey.length > 0 ? 'debezium-json' : 'json';
  return {
    ...t,
    // Metadata (the Kafka timestamp, headers …) is part of what a test gives: a plain column of the file.
    columns: t.columns.map((c) => (c.kind === 'metadata' ? { kind: 'physical', name: c.name, type: c.type } : c)),
    options: { connector: 'filesystem', path, format, [`${format}.timestamp-format.standard`]: 'ISO-8601' },
  };
}

function sinkTable(t: S.CreateTable): S.CreateTable {
  return { ...t, options: { connector: COLLECT_CONNECTOR, table: t.name } };
}

/** A source's records as the lines of its input file: JSON rows, or Debezium JSON changes for keyed sources. */
export function inputLines(source: SourcePlan, changes: readonly SourceChange[]): string {
  const keyed = source.primaryKey.length > 0;
  return changes.map((c) => JSON.stringify(keyed ? { before: c.before, after: c.after, op: c.op } : c.after)).join('\n') + (changes.length > 0 ? '\n' : '');
}
