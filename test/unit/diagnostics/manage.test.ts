/**
 * Managing warnings: inline suppressions with a reason and pipec.yaml rule levels (compiler/diagnostics/manage.ts).
 */
import { describe, expect, test } from 'vitest';
import { manageWarnings } from '../../../compiler/diagnostics/manage.ts';
import { renderHuman } from '../../../compiler/diagnostics/render.ts';
import type { RuleLevel } from '../../../compiler/diagnostics/manage.ts';
import { checkFiles } from '../../helpers/check.ts';
import { lineColumnOf } from '../../../compiler/source/source.ts';

// A warning (sink-key-not-unique) on line 5, at the key clause.
const WARNED = [
  'pipeline p with (checkpoint = 10 s);',
  "source payments from kafka topic 'payments' format avro event time event_time watermark 5 s;",
  "source loans from postgres table 'public.loans' via connection loans_db format avro primary key (loan_id);",
  'stream j as select p.payment_id, l.customer_id from payments p join loans l on p.loan_id = l.loan_id;',
  "sink j into kafka topic 'o' format avro upsert key (customer_id);",
];

function managed(lines: readonly string[], rules: Readonly<Record<string, RuleLevel>> = {}) {
  const result = checkFiles({ 'p.pipe': `${lines.join('\n')}\n` });
  const shown = manageWarnings(result.diagnostics, result.parsed, rules);
  const source = result.parsed[0]?.source;
  const at = (d: (typeof shown)[number]) => (source && d.span ? `${d.code} ${lineColumnOf(source, d.span.start).line}:${lineColumnOf(source, d.span.start).column}` : d.code);
  const render = () => shown.map((d) => renderHuman(d, (p) => (p === source?.path ? source : undefined))).join('\n\n');
  return { shown: shown.map(at), severities: shown.map((d) => d.severity), render };
}

const withLine = (at: number, line: string): string[] => [...WARNED.slice(0, at), line, ...WARNED.slice(at)];

describe('inline suppressions', () => {
  test('the warning is shown without one', () => {
    expect(managed(WARNED).shown).toEqual(['sink-key-not-unique 5:41']);
  });

  test('a suppression with a reason on the line before silences it', () => {
    expect(managed(withLine(4, '-- pipec: allow sink-key-not-unique because each payment has one customer and the topic is compacted by it')).shown).toEqual([]);
  });

  test('a suppression at the end of the warning\'s own line silences it too; each code listed must be used', () => {
    const lines = [...WARNED.slice(0, 4), `${WARNED[4]} -- pipec: allow sink-key-not-unique because one row per customer`];
    expect(managed(lines).shown).toEqual([]);
    const twoCodes = [...WARNED.slice(0, 4), `${WARNED[4]} -- pipec: allow sink-key-not-unique, schema-logical-type-ignored because one row per customer`];
    expect(managed(twoCodes).shown).toEqual(['suppression-unused 5:67']);
  });

  test('a suppression on the line before a statement covers the whole statement (a multi-line sink)', () => {
    const multiLine = [...WARNED.slice(0, 4), '-- pipec: allow sink-key-not-unique because one row per customer', "sink j into kafka topic 'o'", '  format avro', '  upsert key (customer_id);'];
    expect(managed(multiLine).shown).toEqual([]);
    expect(managed([...multiLine.slice(0, 4), ...multiLine.slice(5)]).shown).toEqual(['sink-key-not-unique 7:3']);
    // At the end of a line of the statement (where `pipec fmt` keeps a trailing comment), too.
    const trailing = [...WARNED.slice(0, 4), "sink j into kafka topic 'o' -- pipec: allow sink-key-not-unique because one row per customer", '  format avro', '  upsert key (customer_id);'];
    expect(managed(trailing).shown).toEqual([]);
  });

  test('a suppression two lines above is not for this warning: the warning stays, the suppression is unused', () => {
    const lines = withLine(3, '-- pipec: allow sink-key-not-unique because one row per customer');
    expect(managed(lines).shown).toEqual(['sink-key-not-unique 6:41', 'suppression-unused 4:1']);
  });

  test('a suppression without a reason, for an unknown code or for an error is an error itself, and silences nothing', () => {
    expect(managed(withLine(4, '-- pipec: allow sink-key-not-unique')).shown).toEqual(['sink-key-not-unique 6:41', 'suppression-invalid 5:1']);
    expect(managed(withLine(4, '-- pipec: allow sink-key-not-uniqe because unique')).shown).toEqual(['sink-key-not-unique 6:41', 'suppression-invalid 5:1']);
    expect(managed(withLine(4, '-- pipec: allow unknown-column because it is there')).shown).toEqual(['sink-key-not-unique 6:41', 'suppression-invalid 5:1']);
    expect(managed(withLine(4, '-- pipec: permit sink-key-not-unique because unique')).severities).toEqual(['warning', 'error']);
  });

  test('goldens: suppression-invalid and suppression-unused as users see them', () => {
    expect(managed(withLine(4, '-- pipec: allow sink-key-not-uniqe because unique')).render()).toMatchInlineSnapshot(`
      "warning[sink-key-not-unique]: \`j\` is updating and, after a join, has no key pipec can derive, so nothing shows that (customer_id) identifies one of its rows; if it does not, rows would overwrite each other in the sink
       --> p.pipe:6:41
        |
      6 | sink j into kafka topic 'o' format avro upsert key (customer_id);
        |                                         ^^^^^^^^^^^^^^^^^^^^^^^^
        = help: make the key explicit upstream, e.g. a group by or \`dedupe … by <key>\` on the stream the sink reads
        = help: or, if the key is unique, say why on the line before the sink: -- pipec: allow sink-key-not-unique because <reason>

      error[suppression-invalid]: this suppression has no effect: no diagnostic has the code \`sink-key-not-uniqe\`
       --> p.pipe:5:1
        |
      5 | -- pipec: allow sink-key-not-uniqe because unique
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: did you mean \`sink-key-not-unique\`?
        = help: write: -- pipec: allow <warning code> because <why it does not apply here>"
    `);
    expect(managed(['pipeline p;', "source payments from kafka topic 'payments' format avro;", '-- pipec: allow sink-key-not-unique because no longer needed', "sink payments into kafka topic 'o' format avro;"]).render()).toMatchInlineSnapshot(`
      "warning[suppression-unused]: nothing here reports \`sink-key-not-unique\` any more: the suppression is unused
       --> p.pipe:3:1
        |
      3 | -- pipec: allow sink-key-not-unique because no longer needed
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: remove it (a suppression applies to the statement after or around it, and to a warning on its own line or the next)"
    `);
  });
});

describe('rule levels (pipec.yaml `rules:`)', () => {
  test('off hides a warning; error makes it fail the check', () => {
    expect(managed(WARNED, { 'sink-key-not-unique': 'off' }).shown).toEqual([]);
    expect(managed(WARNED, { 'sink-key-not-unique': 'error' }).severities).toEqual(['error']);
    expect(managed(WARNED, { 'sink-key-not-unique': 'warning' }).severities).toEqual(['warning']);
  });

  test('a suppressed warning stays suppressed under an `error` level: the reason is local and explicit', () => {
    expect(managed(withLine(4, '-- pipec: allow sink-key-not-unique because one row per customer'), { 'sink-key-not-unique': 'error' }).shown).toEqual([]);
  });
});
