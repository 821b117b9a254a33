/**
 * Does a pipeline's job keep state? A stateless job handles each row on its own and in any order, so a new
 * version of it may simply continue from the old one's source offsets (Confluent Cloud's carry-over offsets,
 * which refuse aggregates, windows, joins, ranks and upsert sinks). Pure; errs on the side of "stateful":
 * anything that needs keyed state in Flink is listed, with where it is.
 */
import type { FromPlan, PipelinePlan, QueryPlan } from '../plan/plan.ts';
import { hasAggregate } from '../plan/expr-walk.ts';
import { assertNever } from '../util/invariant.ts';

/** Each part of the plan that holds state, in words (`view hourly_volume aggregates`); empty when stateless. */
export function statefulParts(plan: PipelinePlan): string[] {
  const out: string[] = [];
  for (const s of plan.sources) {
    // A changelog source (CDC, or an upsert topic with a primary key) is normalized with keyed state.
    if (s.system !== 'kafka') out.push(`source ${s.name} reads a CDC changelog`);
    else if (s.primaryKey.length > 0) out.push(`source ${s.name} is an upsert table (primary key ${s.primaryKey.join(', ')})`);
  }
  for (const v of plan.views) out.push(...queryParts(`view ${v.name}`, v.query));
  for (const s of plan.sinks) {
    if (s.upsert) out.push(`sink ${s.table} is an upsert sink`);
    else if (s.changelog.kind !== 'append') out.push(`sink ${s.table} receives updates`);
  }
  return out;
}

function queryParts(where: string, q: QueryPlan): string[] {
  switch (q.kind) {
    case 'rank':
      return [`${where} ${q.limit === 1 ? 'deduplicates' : `keeps the top ${q.limit}`} per ${q.partitionBy.join(', ') || 'stream'}`];
    case 'union':
      return q.inputs.flatMap((i) => queryParts(where, i));
    case 'select': {
      const out = fromParts(where, q.from);
      for (const j of q.joins) {
        if (j.kind === 'unnest') continue;
        out.push(`${where} has ${j.kind === 'interval' ? 'an' : 'a'} ${j.kind} join`, ...fromParts(where, j.right));
      }
      const aggregates = [...q.columns.map((c) => c.expression), ...(q.having ? [q.having] : [])].some(hasAggregate);
      if (q.groupBy.length > 0 || aggregates) out.push(`${where} aggregates`);
      else if (q.distinct) out.push(`${where} selects distinct rows`);
      return out;
    }
    default:
      return assertNever(q, 'query plan');
  }
}

function fromParts(where: string, f: FromPlan): string[] {
  switch (f.kind) {
    case 'scan':
      return [];
    case 'subquery':
      return queryParts(`${where} (subquery ${f.alias})`, f.query);
    case 'window':
      return [`${where} has a ${f.function} window`, ...fromParts(where, f.input)];
    default:
      return assertNever(f, 'from plan');
  }
}
