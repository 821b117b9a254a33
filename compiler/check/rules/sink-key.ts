/**
 * An upsert sink's key is the key of the stream it writes. Upsert Kafka topics and database tables keep one
 * row per sink key and apply each update and delete to the row of that key; Flink (SinkUpsertMaterializer)
 * re-keys a stream whose upsert key differs. A key missing a column of the stream's key merges rows the stream
 * keeps apart; a key with an extra column leaves the old row behind when that column changes.
 *   stream per_customer as select customer_id, count(*) as order_count from orders group by customer_id;
 *   sink per_customer into kafka topic 'c' format avro upsert key (order_count);   -- the key is customer_id
 * An updating stream without a derivable key (after a join or a union) cannot show its rows are unique by the
 * sink's key: a warning, silenced with a reason when they are.
 * Codes: sink-key-mismatch, sink-key-not-unique.
 */
import { nameKey } from '../../project/modules.ts';
import type { BoundPipeline, BoundQuery, RelationSource } from '../../semantic/bound.ts';
import { eachUpdatingSink, type Rule } from '../rule.ts';

/** What dropped the upsert key on the way to `input`: a join, a union or a top-N (else an error already reported). */
function keyLostBy(input: RelationSource, pipeline: BoundPipeline): string | undefined {
  const inQuery = (q: BoundQuery): string | undefined => {
    switch (q.kind) {
      case 'select':
        if (q.joins.some((j) => j.kind === 'regular')) return 'a join';
        return q.inputs[0] ? keyLostBy(q.inputs[0].relation, pipeline) : undefined;
      case 'union': return 'a union';
      case 'top': return 'a top-N';
      case 'dedupe': case 'error': return undefined;
    }
  };
  if (input.kind === 'subquery') return inQuery(input.query);
  if (input.kind === 'source') return undefined;
  const stream = pipeline.streams.find((s) => s.name === input.name);
  return stream ? inQuery(stream.query) : undefined;
}

const sameColumns = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.some((y) => nameKey(x) === nameKey(y)));

export const sinkKeyRule: Rule = {
  name: 'sink-key',
  check(program, r) {
    eachUpdatingSink(program, (sink, changelog, pipeline) => {
      const upserts = sink.keyColumns.length > 0 && (sink.system !== 'kafka' || sink.upsert);
      if (!upserts) return;
      const span = sink.decl.clauses.find((c) => c.kind === 'KeyColumnsClause')?.span ?? sink.decl.endpoint.span;
      const cause = changelog.key === undefined ? keyLostBy(sink.input, pipeline) : undefined;
      if (cause !== undefined) {
        r.report('sink-key-not-unique', { stream: sink.name, sinkKey: sink.keyColumns, cause }, span);
      } else if (changelog.key !== undefined && changelog.key.length > 0 && !sameColumns(sink.keyColumns, changelog.key)) {
        r.report('sink-key-mismatch', { stream: sink.name, sinkKey: sink.keyColumns, streamKey: changelog.key }, span);
      }
    });
  },
};
