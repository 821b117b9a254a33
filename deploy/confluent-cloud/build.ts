/**
 * A build folder as the Confluent Cloud flavour deploys it: the items of deploy/build.ts, and for each job its
 * `confluent-cloud.json` (the statement and the ALTER TABLE statements before it), its plan, and the names
 * the statements get. Edge (files); pure after reading.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PipelinePlan } from '../../compiler/plan/plan.ts';
import { decodePlanFile } from '../../compiler/plan/plan-file.ts';
import { confluentCloudArtifactSchema, statementText, type ConfluentCloudArtifact } from '../../targets/flink-sql/confluent-cloud-artifact.ts';
import type { JobItem } from '../../targets/manifest.ts';
import { readDeployBuild, type DeployBuild } from '../build.ts';
import { statementName } from './statement-name.ts';
import { describeIssue, issueSentence } from '../../compiler/diagnostics/validation-issues.ts';

export interface CloudTableChange {
  readonly name: string;
  readonly table: string;
  readonly target: string;
  readonly statement: string;
}

export interface CloudJob {
  readonly pipeline: string;
  readonly item: JobItem;
  readonly plan: PipelinePlan;
  readonly artifact: ConfluentCloudArtifact;
  /** The job's statement name: changes with anything sent for it, its table changes included. */
  readonly name: string;
  readonly statement: string;
  readonly tableChanges: readonly CloudTableChange[];
}

export interface CloudBuild {
  readonly build: DeployBuild;
  /** By pipeline. */
  readonly jobs: ReadonlyMap<string, CloudJob>;
}

export function readConfluentCloudBuild(dir: string, only?: readonly string[]): CloudBuild {
  const build = readDeployBuild(dir, only);
  const { project, environment } = build.manifest;
  const jobs = new Map<string, CloudJob>();
  for (const d of build.items) {
    if (d.kind !== 'job') continue;
    const file = path.join(dir, path.dirname(d.item.compilePlanSql), 'confluent-cloud.json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`pipec deploy: cannot read ${file} (${(e as Error).message}); set \`confluent_cloud: true\` in the flink section of pipec.yaml and compile again`);
    }
    const json: unknown = JSON.parse(text);
    const parsed = confluentCloudArtifactSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`pipec deploy: ${file} is not a Confluent Cloud job this deployer reads (${issue ? issueSentence(describeIssue(issue, json, { noun: 'field' })) : 'unexpected shape'}); compile again with this pipec version`);
    }
    const artifact = parsed.data;
    const tableChanges = artifact.tableChanges.map((c): CloudTableChange => {
      const statement = statementText(c.statement);
      // Shared by every pipeline reading the topic: named by the table and the change, not by a pipeline.
      return { name: statementName([project, environment, 'table', c.table], statement), table: c.table, target: c.target, statement };
    });
    const statement = statementText(artifact.statement);
    jobs.set(d.pipeline, {
      pipeline: d.pipeline,
      item: d.item,
      plan: decodePlanFile(d.plan, path.join(dir, path.dirname(d.item.compilePlanSql), 'plan.json')),
      artifact,
      // The table changes are part of it: a new watermark is a new job, as in job.sql's CREATE TABLE.
      name: statementName([project, environment, d.pipeline], { statement, properties: artifact.properties, tableChanges: tableChanges.map((c) => c.statement) }),
      statement,
      tableChanges,
    });
  }
  return { build, jobs };
}
