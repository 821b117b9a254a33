/**
 * A sink can take its input's changelog: updates go only into upsert sinks with a key.
 *   stream totals as select customer_id, sum(amount) as total from payments group by customer_id;
 *   sink totals into kafka topic 'totals' format avro;          -- updating into an append-only topic
 * Codes: updating-into-append-sink, sink-needs-key.
 */
import { clauseOf } from '../../semantic/endpoints.ts';
import { eachUpdatingSink, type Rule } from '../rule.ts';

export const sinkChangelogRule: Rule = {
  name: 'sink-changelog',
  check(program, r) {
    eachUpdatingSink(program, (sink, changelog) => {
      if (sink.system === 'kafka' && !sink.upsert) {
        r.report('updating-into-append-sink', { sink: sink.object, stream: sink.name, suggestedKey: changelog.key }, sink.decl.endpoint.span);
      } else if (sink.system !== 'kafka' && !clauseOf(sink.decl.clauses, 'KeyColumnsClause')) {
        r.report('sink-needs-key', { sink: sink.object, system: sink.system }, sink.decl.endpoint.span);
      }
    });
  },
};
