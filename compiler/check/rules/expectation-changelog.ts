/**
 * A dead-letter topic is append-only: only an append-only stream can send the rows it rejects there. An
 * updating stream also retracts and updates rows, and a retracted row would stay on the topic as if it were
 * still rejected (a filter, `drop`, and `fail` are correct on either).
 *   stream totals as select customer_id, sum(amount) as total from payments group by customer_id
 *     expect positive: total > 0 else dead letter 'totals.rejected';
 * Code: dead-letter-from-updating-stream.
 */
import { distinctStreams, type Rule } from '../rule.ts';

export const expectationChangelogRule: Rule = {
  name: 'expectation-changelog',
  check(program, r) {
    for (const stream of distinctStreams(program)) {
      if (stream.type.changelog.kind !== 'updating') continue;
      for (const e of stream.expectations) {
        if (e.otherwise.kind === 'dead-letter') r.report('dead-letter-from-updating-stream', { expectation: e.name, stream: stream.name }, e.otherwise.span);
      }
    }
  },
};
