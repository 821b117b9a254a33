/**
 * What happens to a pipeline's statement on Confluent Cloud when its job changed. A statement's SQL is fixed,
 * so a changed job is a new statement; Confluent hands the old one's source offsets to it
 * (`sql.tables.initial-offset-from`) only when both are stateless, and hands over no state ever
 * (docs.confluent.io `flink/operate-and-deploy/carry-over-offsets`). Pure.
 */
import { statefulParts } from '../../compiler/upgrade/stateless.ts';
import type { CloudJob } from './build.ts';

export type StatementUpgrade =
  /** No statement of the pipeline is known to run: the new one starts from its tables' startup position. */
  | { readonly kind: 'new' }
  /** The same statement name: nothing to do. */
  | { readonly kind: 'unchanged' }
  /** Stop the previous statement; the new one continues from its offsets. */
  | { readonly kind: 'carry-over'; readonly previous: CloudJob }
  /** Stop the previous statement; the new one starts from scratch (allowStateReset). */
  | { readonly kind: 'reset'; readonly previous: CloudJob; readonly stateful: readonly string[] };

export class StatefulChangeRefused extends Error {
  readonly pipeline: string;
  readonly stateful: readonly string[];
  constructor(pipeline: string, stateful: readonly string[]) {
    super(
      `pipec deploy: pipeline ${pipeline} changed, and its job keeps state:\n${stateful.map((s) => `  - ${s}`).join('\n')}\n` +
        'Confluent Cloud cannot hand state or offsets to a new statement of a stateful job, so the change was not deployed. ' +
        'Set allowStateReset to stop the running statement and start the new one from its sources\' startup position, with empty state.',
    );
    this.name = 'StatefulChangeRefused';
    this.pipeline = pipeline;
    this.stateful = stateful;
  }
}

export function statementUpgrade(previous: CloudJob | undefined, next: CloudJob, allowStateReset: boolean): StatementUpgrade {
  // A previous build that could not run on Confluent Cloud has no statement running.
  if (previous === undefined || previous.artifact.unsupported.length > 0) return { kind: 'new' };
  if (previous.name === next.name) return { kind: 'unchanged' };
  const stateful = [...statefulParts(previous.plan).map((s) => `was: ${s}`), ...statefulParts(next.plan).map((s) => `now: ${s}`)];
  if (stateful.length === 0) return { kind: 'carry-over', previous };
  if (!allowStateReset) throw new StatefulChangeRefused(next.pipeline, stateful);
  return { kind: 'reset', previous, stateful };
}
