/**
 * Exactly-once delivery needs checkpoints: Kafka transactions commit when a checkpoint completes.
 *   pipeline p with (delivery = exactly_once);      -- no `checkpoint = …`
 * Code: exactly-once-needs-checkpoint.
 */
import type { Rule } from '../rule.ts';

export const exactlyOnceRule: Rule = {
  name: 'exactly-once',
  check(program, r) {
    for (const p of program.pipelines) {
      const exactlyOnce = p.settings.delivery === 'exactly_once' || p.sinks.some((s) => s.delivery === 'exactly_once');
      if (exactlyOnce && p.settings.checkpointMillis === undefined) r.report('exactly-once-needs-checkpoint', {}, p.span);
    }
  },
};
