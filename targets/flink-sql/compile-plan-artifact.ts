/**
 * `<pipeline>/compile-plan.json`: compile-plan.sql as the deployer runs it, as data. The job's name (its
 * `pipeline.name`, by which the deployer finds the running job) and each statement printed on its own by
 * print.ts, in order, so the deployer sends them to the SQL Gateway as they are, never splitting SQL text.
 * Validated with zod on write and on read.
 */
import { z } from 'zod';

export const COMPILE_PLAN_ARTIFACT_VERSION = 1 as const;

export const compilePlanArtifactSchema = z
  .object({
    version: z.literal(COMPILE_PLAN_ARTIFACT_VERSION),
    jobName: z.string().min(1),
    /** SETs, tables, views, then `COMPILE PLAN '${pipec:flink.plan_path}' FOR STATEMENT SET …`; no `;` after each. */
    statements: z.array(z.string().min(1)).min(1),
  })
  .strict();

export type CompilePlanArtifact = z.infer<typeof compilePlanArtifactSchema>;
