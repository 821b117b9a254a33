/**
 * Flink conformance: generated programs (valid ones and near-misses) compiled by pipec and planned by the real
 * Flink planner of each line, in one JVM per line. Every disagreement fails the test and prints the `.pipe`.
 *
 *   npm run test:conformance                              # a fixed and a fresh seed: 1,000 programs on each in CI (`CI` set), else 100
 *   npm run test:conformance:soak                         # 2,000 programs per line and seed (100 of them run), on a fixed and a fresh seed
 *   npm run test:conformance:long -- <seeds> <programs>   # the long run: many fresh seeds, each in a vitest run of its own (long-run.sh)
 *   CONFORMANCE_PROGRAMS=2000 npm run test:conformance     # programs per Flink line and seed
 *   CONFORMANCE_SEED=12345 npm run test:conformance        # replay one seed only
 *   CONFORMANCE_LINES=2.2 npm run test:conformance         # one Flink line only
 *
 * runs.test.ts runs a sample of the valid programs on a Flink MiniCluster (see there; `CONFORMANCE_RUNS=<n>`).
 *
 * Every run plans a fixed seed and a fresh one (printed first, with the command that replays it, and again in a
 * failure): the fixed seed fails a change for what it changed, the fresh one finds what no run found before, and a
 * disagreement on either fails the run. The valid programs of a seed call the stdlib's overloads in turn
 * (expressions.ts, CallsInTurn), so the programs checked on each line must hit every grammar rule and call every
 * stdlib overload of that line; a run of fewer than COVERAGE_FLOOR (200) programs per line, OVERLOAD_FLOOR (600) for
 * the overloads, is a quick look and only prints its coverage. Near-misses draw their mutation first, one for each check rule (compiler/check/rules/) among
 * others: the coverage line "check rules fired" counts the rules they reached.
 */
import { describe, expect, test } from 'vitest';
import type { FlinkLine } from '../../stdlib/flink-lines.ts';
import { ALL_GRAMMAR_RULES, addToCoverage, emptyCoverage, formatCoverage, overloadsOn, type Coverage } from './coverage.ts';
import { differential, shrink, type Checked } from './differential.ts';
import { CallsInTurn } from './expressions.ts';
import { generateNearMiss, generateValid, type Program } from './programs.ts';
import { Random } from './random.ts';
import { FRESH_SEED, LINES, SEEDS } from './settings.ts';

/** Per Flink line and seed: 1,000 in CI (two seeds, so 2,000 per line), 100 for a quick run elsewhere. */
const PROGRAMS = Number(process.env['CONFORMANCE_PROGRAMS'] ?? (process.env['CI'] ? 1000 : 100));
const replayCommand = (seed: number, version: FlinkLine): string =>
  `CONFORMANCE_SEED=${seed} CONFORMANCE_PROGRAMS=${PROGRAMS} CONFORMANCE_LINES=${version} npm run test:conformance`;
/**
 * Programs per line from which every grammar rule must be hit: the rarest (a typed literal, in interval joins; a
 * CDC source's `via`) are in about one program in fifteen, so 200 (the default quick run's two seeds) miss one
 * about once in 30,000 runs, where 100 would once in 200.
 */
const COVERAGE_FLOOR = 200;
/**
 * Programs per line from which every stdlib overload must be called: each seed's valid programs call the overloads in
 * turn, about one lap of the list per 150 programs, and an overload whose program pipec refuses (a TIMESTAMP_LTZ into
 * Avro, a session window Top-N) waits for the next lap; 300 per seed (two seeds) leave none out.
 */
const OVERLOAD_FLOOR = 600;
/** One program in five is a near-miss. */
const NEAR_MISS_SHARE = 0.2;

function programs(seed: number, version: FlinkLine): Program[] {
  const r = new Random(seed);
  // The valid programs call the stdlib's overloads in turn (a near-miss is rejected: its calls would not count).
  const calls = new CallsInTurn();
  const out: Program[] = [];
  for (let i = 0; out.length < PROGRAMS; i++) {
    const own = r.fork();
    const p = own.chance(NEAR_MISS_SHARE) ? generateNearMiss(own, i, version) : generateValid(own, i, version, calls);
    if (p) out.push(p);
  }
  return out;
}

function report(checked: readonly Checked[]): string {
  return checked
    .filter((c) => c.disagreements.length > 0)
    .map((c) => `── ${c.program.name} (Flink ${c.program.version}${c.program.mutation ? `, near-miss: ${c.program.mutation}` : ''})\n${c.disagreements.map((d) => `   ${d}`).join('\n')}\n${c.program.text}`)
    .join('\n');
}

const fresh = FRESH_SEED;
if (fresh !== undefined) console.log(`conformance: fresh seed ${fresh}; replay: ${LINES.map((l) => replayCommand(fresh, l)).join(' ; ')}`);

describe.each(LINES)('Flink %s', (version) => {
  const coverage: Coverage = emptyCoverage();
  test.each(SEEDS)('seed %i: pipec and the planner agree on every generated program', async (seed) => {
    console.log(`conformance: Flink ${version}, seed ${seed}${seed === FRESH_SEED ? ' (fresh)' : ' (fixed)'}, ${PROGRAMS} programs; replay: ${replayCommand(seed, version)}`);
    const started = Date.now();
    const { checked, plannerMs } = await differential(programs(seed, version), version);
    for (const c of checked) addToCoverage(coverage, c);
    const accepted = checked.filter((c) => c.compiled.output !== undefined).length;
    const nearMisses = checked.filter((c) => c.program.expect === 'near-miss');
    const failing = checked.filter((c) => c.disagreements.length > 0);
    const cautious = checked.flatMap((c) => c.cautious);
    const cautiousKinds = new Map<string, number>();
    for (const note of cautious) {
      const kind = note.replace(/^stream \w+: /, '').replace(/`[^` ]+ /g, '`').replace(/\(\d+(, \d+)?\)/g, '');
      cautiousKinds.set(kind, (cautiousKinds.get(kind) ?? 0) + 1);
    }
    console.log([
      `conformance: Flink ${version}, seed ${seed}: ${checked.length} programs (${checked.length - nearMisses.length} valid, ${nearMisses.length} near-misses), ${accepted} planned, ${failing.length} disagreements; ${Math.round((Date.now() - started) / 1000)} s (planner JVM ${Math.round(plannerMs / 1000)} s)`,
      `pipec more cautious than Flink (allowed, see differential.ts): ${cautious.length}${[...cautiousKinds.entries()].sort((x, y) => y[1] - x[1]).slice(0, 8).map(([k, n]) => `\n    ${n}× ${k}`).join('')}`,
      formatCoverage(coverage, version),
    ].join('\n'));
    // Each failing program is shrunk to a smaller one that still fails the same way, and printed.
    const replayLine = `seed ${seed} on Flink ${version}; replay: ${replayCommand(seed, version)}`;
    expect(failing.length, failing.length > 0 ? `${replayLine}\n${report(await shrink(failing, version))}` : replayLine).toBe(0);
  });

  test('the programs checked hit every grammar rule', () => {
    const checkedPrograms = PROGRAMS * SEEDS.length;
    const missing = ALL_GRAMMAR_RULES.filter((rule) => !coverage.grammarRules.has(rule));
    if (checkedPrograms < COVERAGE_FLOOR) console.log(`conformance: ${checkedPrograms} programs, fewer than ${COVERAGE_FLOOR}: grammar rules not hit (not asserted): ${missing.join(', ') || 'none'}`);
    else expect(missing, `grammar rules no generated program on Flink ${version} used`).toEqual([]);
  });

  test('the programs pipec accepted call every stdlib overload of the line', () => {
    const checkedPrograms = PROGRAMS * SEEDS.length;
    const missing = overloadsOn(version).filter((overload) => !coverage.overloads.has(overload));
    if (checkedPrograms < OVERLOAD_FLOOR) console.log(`conformance: ${checkedPrograms} programs, fewer than ${OVERLOAD_FLOOR}: stdlib overloads not called (not asserted): ${missing.join(', ') || 'none'}`);
    else expect(missing, `stdlib overloads no accepted program on Flink ${version} called`).toEqual([]);
  });
});
