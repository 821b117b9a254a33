/** How `pipec diff` reports a state change, as users read it (the rendered goldens of the upgrade codes). */
import { expect, test } from 'vitest';
import { diagnostic } from '../../../compiler/diagnostics/diagnostic.ts';
import { renderHuman } from '../../../compiler/diagnostics/render.ts';
import { classify } from '../../../compiler/upgrade/classify.ts';
import { compileFiles, PRELUDE } from '../../helpers/check.ts';

function compiled(body: string) {
  const result = compileFiles({ 'p.pipe': `pipeline p with (checkpoint = 10 s);\n${PRELUDE}\n${body}` });
  const plan = result.plan?.pipelines[0];
  if (!plan) throw new Error('does not compile');
  return { plan, result };
}

const UPSERT = (k: string): string => `sink s into kafka topic 'out' format avro upsert key (${k});`;
const AGG = (k: string): string => `stream s as select ${k}, count(*) as n from payments group by ${k};\n${UPSERT(k)}`;

function render(before: string, after: string): string {
  const a = compiled(before);
  const b = compiled(after);
  return classify(a.plan, b.plan)
    .changes.filter((c) => c.verdict !== 'compatible')
    .map((c) => diagnostic(c.verdict === 'incompatible' ? 'upgrade-state-incompatible' : 'upgrade-state-dropped', { pipeline: 'p', subject: c.subject, change: c.change }, c.span))
    .map((d) => renderHuman(d, (p) => b.result.parsed.find((x) => x.source.path === p)?.source))
    .join('\n\n');
}

test('incompatible: group keys changed', () => {
  expect(render(AGG('currency'), AGG('currency, status'))).toMatchInlineSnapshot(`
    "error[upgrade-state-incompatible]: the running job of pipeline \`p\` cannot keep its state across this change: view s: group keys changed from (currency) to (currency, status)
     --> p.pipe:8:13
      |
    8 | stream s as select currency, status, count(*) as n from payments group by currency, status;
      |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      = help: keep the stateful part as it is and add the change as a new stream and sink, or deploy with a state reset (\`pipec diff --allow-state-reset\`, \`allowStateReset\` in the deployer): the job then starts from empty state"
  `);
});

test('dropped: a sink removed', () => {
  expect(render(`${AGG('currency')}\nstream big as select payment_id, amount from payments;\nsink big into kafka topic 'big' format avro;`, AGG('currency'))).toMatchInlineSnapshot(`"warning[upgrade-state-dropped]: the upgrade of pipeline \`p\` drops state: sink big_topic: removed (it wrote big): its writer state is dropped from the savepoint"`);
});
