/**
 * The Flink SQL target: one job per pipeline. `job.sql` runs the pipeline (`EXECUTE STATEMENT SET`);
 * `compile-plan.sql` is the same script ending in `COMPILE PLAN`, which the deployer runs so that jobs start
 * from compiled plans and keep their operator ids across upgrades.
 */
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.ts';
import type { PipelinePlan } from '../../compiler/plan/plan.ts';
import { PLAN_PATH } from '../placeholders.ts';
import type { ConfluentCloudArtifact } from './confluent-cloud-artifact.ts';
import { lowerForConfluentCloud } from './confluent-cloud.ts';
import { DIALECTS, type FlinkVersion } from './dialect.ts';
import { lowerPipelineToFlink, withoutSourceGuards, type LowerContext } from './lower.ts';
import { printScript } from './print.ts';

export interface FlinkJobArtifacts {
  readonly jobSql: string;
  readonly compilePlanSql: string;
  /** The same job for Confluent Cloud (confluent-cloud.json), when asked for. */
  readonly confluentCloud: ConfluentCloudArtifact | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export interface FlinkTargetOptions {
  readonly project: string;
  readonly environment: string;
  readonly version: FlinkVersion;
  readonly kafkaProperties: readonly string[];
  /** The registry wants basic auth (`registry.auth` of pipec.yaml is `basic`). */
  readonly registryBasicAuth?: boolean;
  /** Also derive the Confluent Cloud form of the job (default false). */
  readonly confluentCloud?: boolean;
}

/** What lowering a pipeline to Flink SQL needs to know, from the target's options. */
export function flinkLowerContext(options: FlinkTargetOptions): LowerContext {
  return {
    project: options.project,
    environment: options.environment,
    dialect: DIALECTS[options.version],
    kafkaProperties: options.kafkaProperties,
    registryBasicAuth: options.registryBasicAuth ?? false,
  };
}

export function emitFlinkJob(p: PipelinePlan, options: FlinkTargetOptions): FlinkJobArtifacts {
  const { job, diagnostics } = lowerPipelineToFlink(p, flinkLowerContext(options));
  const jobSql = printScript([...job.setup, { kind: 'statement-set', inserts: job.inserts }]);
  const compilePlanSql = printScript([...job.setup, { kind: 'compile-plan', path: PLAN_PATH, ifNotExists: false, inserts: job.inserts }]);
  // Confluent Cloud handles undecodable records itself (its tables' `error-handling.mode`): its job reads the sources unguarded.
  const confluentCloud = options.confluentCloud ? lowerForConfluentCloud(p, lowerPipelineToFlink(withoutSourceGuards(p), flinkLowerContext(options)).job) : undefined;
  return { jobSql, compilePlanSql, confluentCloud, diagnostics };
}
