/**
 * The Flink SQL target: one job per pipeline. `job.sql` runs the pipeline (`EXECUTE STATEMENT SET`);
 * `compile-plan.sql` is the same script ending in `COMPILE PLAN`, which the deployer runs so that jobs start
 * from compiled plans and keep their operator ids across upgrades; `compile-plan.json` is that script as data,
 * statement by statement, which is what the deployer sends.
 */
import type { PipelinePlan } from '../../compiler/plan/plan.ts';
import { PLAN_PATH } from '../../stdlib/placeholders.ts';
import type { ConfluentCloudArtifact } from './confluent-cloud-artifact.ts';
import { lowerForConfluentCloud } from './confluent-cloud.ts';
import { lowerPipelineToFlink, withoutSourceGuards, type LowerContext } from './lower.ts';
import { printExecutable, printScript } from './print.ts';
import type { ExecutableStatement, SqlStatement } from './sql-ast.ts';
import { COMPILE_PLAN_ARTIFACT_VERSION, type CompilePlanArtifact } from './compile-plan-artifact.ts';

export interface FlinkJobArtifacts {
  readonly jobSql: string;
  readonly compilePlanSql: string;
  /** compile-plan.sql as the deployer sends it, statement by statement (compile-plan.json), when asked for. */
  readonly compilePlan: CompilePlanArtifact | undefined;
  /** The same job for Confluent Cloud (confluent-cloud.json), when asked for. */
  readonly confluentCloud: ConfluentCloudArtifact | undefined;
}

export interface FlinkTargetOptions {
  readonly project: string;
  readonly environment: string;
  readonly kafkaProperties: readonly string[];
  /** The registry wants basic auth (`registry.auth` of pipec.yaml is `basic`). */
  readonly registryBasicAuth?: boolean;
  /** Also derive the Confluent Cloud form of the job (default false). */
  readonly confluentCloud?: boolean;
  /** Also give compile-plan.sql's statements one by one, for the deployer (default false). */
  readonly compilePlanStatements?: boolean;
}

/** What lowering a pipeline to Flink SQL needs to know, from the target's options. */
export function flinkLowerContext(options: FlinkTargetOptions): LowerContext {
  return {
    project: options.project,
    environment: options.environment,
    kafkaProperties: options.kafkaProperties,
    registryBasicAuth: options.registryBasicAuth ?? false,
  };
}

export function emitFlinkJob(p: PipelinePlan, options: FlinkTargetOptions): FlinkJobArtifacts {
  const job = lowerPipelineToFlink(p, flinkLowerContext(options));
  const jobSql = printScript([...job.setup, { kind: 'statement-set', inserts: job.inserts }]);
  const compilePlanScript: readonly SqlStatement[] = [...job.setup, { kind: 'compile-plan', path: PLAN_PATH, ifNotExists: false, inserts: job.inserts }];
  const compilePlanSql = printScript(compilePlanScript);
  const compilePlan: CompilePlanArtifact | undefined = options.compilePlanStatements ? { version: COMPILE_PLAN_ARTIFACT_VERSION, jobName: job.name, statements: compilePlanScript.filter(isExecutable).map(printExecutable) } : undefined;
  // Confluent Cloud handles undecodable records itself (its tables' `error-handling.mode`): its job reads the sources unguarded.
  const confluentCloud = options.confluentCloud ? lowerForConfluentCloud(p, lowerPipelineToFlink(withoutSourceGuards(p), flinkLowerContext(options))) : undefined;
  return { jobSql, compilePlanSql, compilePlan, confluentCloud };
}

function isExecutable(s: SqlStatement): s is ExecutableStatement {
  return s.kind !== 'comment';
}
