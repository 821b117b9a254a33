/**
 * The harness's output: JSON lines on standard output, validated here. PlannerCheck.java writes them; keep the
 * two in step.
 */
import { z } from 'zod';

/** Flink's short changelog-mode notation, as EXPLAIN CHANGELOG_MODE prints it: I, UB, UA, D joined by ','. */
export const changelogModeSchema = z.string().regex(/^(I|UB|UA|D)(,(I|UB|UA|D))*$/);

export const plannerSinkSchema = z.object({
  /** The sink table's name (the last part of its identifier), unescaped. */
  table: z.string(),
  /** Flink's serialized identifier, e.g. `default_catalog`.`default_database`.`t` (back-quotes doubled inside). */
  identifier: z.string(),
  /** The changelog mode of the stream written into the sink: the sink node's inputChangelogMode. */
  changelogMode: changelogModeSchema,
  /** Whether the planner put a SinkUpsertMaterializer (keyed state) in front of the sink. */
  upsertMaterialize: z.boolean(),
});

export const plannerErrorSchema = z.object({
  /** Flink's exception message, with the class names and distinct messages of its causes. */
  message: z.string(),
  /** The statement Flink rejected (for a statement set: the INSERT, when Flink rejected one INSERT). */
  statement: z.string().optional(),
  /** 1-based line in the job.sql file: Flink's reported position when it gave one, else the statement's first line. */
  line: z.number().int().positive().optional(),
});

export const plannerViewSchema = z.object({
  name: z.string(),
  /** Each column's type as Flink's LogicalType#asSummaryString prints it: `BIGINT NOT NULL`, `TIMESTAMP(3) *ROWTIME*`. */
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
});

export const plannerResultSchema = z.object({
  file: z.string(),
  ok: z.boolean(),
  error: plannerErrorSchema.optional(),
  sinks: z.array(plannerSinkSchema),
  /** Every temporary view (pipec's streams) as the planner resolved it, once the DDL ran. */
  views: z.array(plannerViewSchema),
  /** Whether StatementSet#compilePlan succeeded (a later EXPLAIN can still reject the job). */
  compiledPlan: z.boolean(),
  warnings: z.array(z.string()),
  /** Wall time for this file in the harness JVM, including a fresh TableEnvironment. */
  timeMs: z.number().nonnegative(),
  phaseMs: z.object({ ddl: z.number(), compile: z.number(), explain: z.number() }),
});

export const harnessInfoSchema = z.object({
  flinkVersion: z.string(),
  javaVersion: z.string(),
  /** From JVM start to the harness being ready (class path scan included). */
  jvmStartupMs: z.number().nonnegative(),
  /** How many configuration keys the harness knows for SET checks. */
  configKeys: z.number().int().nonnegative(),
});

export const harnessDoneSchema = z.object({
  files: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  totalMs: z.number().nonnegative(),
});

const splitStatementSchema: z.ZodType<SplitStatement> = z.lazy(() =>
  z.object({
    text: z.string(),
    line: z.number().int().positive(),
    column: z.number().int().positive(),
    body: z.array(splitStatementSchema).optional(),
  }),
);

export const splitResultSchema = z.object({
  file: z.string(),
  ok: z.boolean(),
  statements: z.array(splitStatementSchema).optional(),
  error: z.object({ message: z.string(), line: z.number().int() }).optional(),
});

export const harnessLineSchema = z.discriminatedUnion('kind', [
  harnessInfoSchema.extend({ kind: z.literal('harness') }),
  plannerResultSchema.extend({ kind: z.literal('file') }),
  harnessDoneSchema.extend({ kind: z.literal('done') }),
  splitResultSchema.extend({ kind: z.literal('split') }),
]);

export type PlannerSink = z.infer<typeof plannerSinkSchema>;
export type PlannerView = z.infer<typeof plannerViewSchema>;
export type PlannerError = z.infer<typeof plannerErrorSchema>;
export type PlannerResult = z.infer<typeof plannerResultSchema>;
export type HarnessInfo = z.infer<typeof harnessInfoSchema>;
export type HarnessDone = z.infer<typeof harnessDoneSchema>;
export type SplitResult = z.infer<typeof splitResultSchema>;
export type HarnessLine = z.infer<typeof harnessLineSchema>;

/** A statement of a job.sql as the harness splits it (statement sets carry their INSERTs in `body`). */
export interface SplitStatement {
  text: string;
  line: number;
  column: number;
  body?: SplitStatement[] | undefined;
}
