/**
 * Upgrade conformance: for each generated pair (A, B), the classifier's verdict against what the real Flink does
 * when B is restored from A's savepoint through the deployer's path (engine-truth.ts). A verdict that lets an
 * upgrade through whose truth is not "same results" is unsafe and fails the test, printing both programs; a
 * refusal of an upgrade that gave the same results is a false alarm, counted and printed at the end, with the
 * mean time per pair of each phase. A pair let through with different results whose B, upgraded to itself,
 * answers differently too is timing-dependent (engine-truth.ts, `judge`): counted and printed, not unsafe.
 *
 * All pairs: `npm run test:upgrades` (PIPEC_UPGRADE_PAIRS=all; 250 pairs, about 35 minutes on a 2-core
 * machine). Pairs run concurrently, as many as the integration project's `maxConcurrency` (4): each has its own
 * topics, groups and jobs, and holds at most two jobs at a time (restored, and from scratch), so a stack needs
 * 2 × 4 × the highest parallelism (2) = 16 task slots to never queue (`local.flink_task_slots`; with the default
 * 8 a parallelism-2 pair may wait for slots). The integration run (CI) takes a bounded slice: by default three
 * pairs that once went wrong (a restore that silently swaps two values, a look-alike operator that took the
 * deployed one's id, a renamed top-N stream whose new sink lost the rows its materializer knew) and a changed
 * session gap, which Flink starts from the savepoint without complaint and then answers differently;
 * PIPEC_UPGRADE_PAIRS=<n> takes n pairs spread over the list. PIPEC_UPGRADE_MATCH=<regexp> first narrows the
 * list to the pairs whose name matches (then every match runs unless PIPEC_UPGRADE_PAIRS says otherwise), so the
 * pairs can run in batches. The Flink line is the local stack's (PIPEC_LOCAL_FLINK or the config's `flink:`).
 */
import { afterAll, describe, expect, inject, test } from 'vitest';
import { judge, type Outcome } from './engine-truth.ts';
import { upgradePairs, type Pair } from './pairs.ts';

const endpoints = inject('pipecLocal');
const all = upgradePairs();

const DEFAULT_SLICE = ['group aggregate: min and max swapped', 'group aggregate: a look-alike aggregate added', 'top-N: the sinked stream renamed', 'session window: gap 10 s → 15 s'];

function slice(every: readonly Pair[]): readonly Pair[] {
  const match = process.env['PIPEC_UPGRADE_MATCH'];
  const pairs = match === undefined ? every : every.filter((p) => new RegExp(match, 'i').test(p.name));
  const wanted = process.env['PIPEC_UPGRADE_PAIRS'] ?? (match === undefined ? undefined : 'all');
  if (wanted === 'all') return pairs;
  if (wanted === undefined) return pairs.filter((p) => DEFAULT_SLICE.includes(p.name));
  const n = Math.max(1, Math.min(pairs.length, Number.parseInt(wanted, 10) || 1));
  return Array.from({ length: n }, (_, i) => pairs[Math.floor((i * pairs.length) / n)]).filter((p): p is Pair => p !== undefined);
}

const results: { pair: Pair; outcome: Outcome }[] = [];

/** A verdict that lets an upgrade through whose results the restore changed. */
const isUnsafe = (o: Outcome): boolean => o.classification.verdict !== 'incompatible' && (o.truth.kind === 'restore-fails' || o.truth.kind === 'different');

afterAll(() => {
  const phases = new Map<string, number>();
  for (const r of results) for (const [phase, ms] of Object.entries(r.outcome.phases)) phases.set(phase, (phases.get(phase) ?? 0) + ms);
  const perPair = [...phases].map(([phase, ms]) => `${phase} ${(ms / 1000 / Math.max(1, results.length)).toFixed(1)} s`).join(', ');
  const line = (r: { pair: Pair; outcome: Outcome }): string => `  ${r.pair.name}: verdict ${r.outcome.classification.verdict}, truth ${r.outcome.truth.kind}`;
  const unsafe = results.filter((r) => isUnsafe(r.outcome));
  const alarms = results.filter((r) => r.outcome.classification.verdict === 'incompatible' && r.outcome.truth.kind === 'same');
  const timing = results.filter((r) => r.outcome.truth.kind === 'timing-dependent');
  process.stderr.write(
    `\nupgrade conformance (Flink ${endpoints.flinkLine}): ${results.length} pairs, ${unsafe.length} unsafe verdicts, ${alarms.length} false alarms, ${timing.length} timing-dependent\nmean per pair: ${perPair}\n${results.map(line).join('\n')}\n`,
  );
  if (alarms.length > 0) process.stderr.write(`false alarms:\n${alarms.map(line).join('\n')}\n`);
  if (timing.length > 0) process.stderr.write(`timing-dependent (B upgraded to itself answered differently too):\n${timing.map(line).join('\n')}\n`);
});

describe('upgrade verdicts against real restores', () => {
  test('the default slice names pairs that exist', () => {
    expect(all.filter((p) => DEFAULT_SLICE.includes(p.name)).map((p) => p.name).sort()).toEqual([...DEFAULT_SLICE].sort());
  });

  test.concurrent.for(slice(all).map((pair) => ({ name: pair.name, pair })))('$name', { timeout: 900_000 }, async ({ pair }, { expect }) => {
    const outcome = await judge(endpoints, pair);
    results.push({ pair, outcome });
    const { verdict, changes } = outcome.classification;
    const truth = outcome.truth.kind === 'restore-fails' ? `the restore fails: ${outcome.truth.why}` : outcome.truth.kind === 'different' ? `different results:\n${outcome.truth.diff}` : outcome.truth.kind;
    expect(isUnsafe(outcome), `pipec says ${verdict} (${changes.map((c) => `${c.subject}: ${c.change}`).join('; ') || 'no changes'}), but ${truth}\n--- A ---\n${outcome.a}--- B ---\n${outcome.b}`).toBe(false);
  });
});
