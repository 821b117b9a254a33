/**
 * Flink conformance, real runs: a sample of generated valid programs that pipec accepts runs on a real Flink
 * MiniCluster (one JVM per line, jobs one after another, as `pipec test` runs them) with generated bounded
 * records, on each Flink line. Every run must finish without an error, and every row a sink receives must fit
 * the schema pipec registers for that sink. A failure prints the program, its records, and Flink's error or the
 * offending row with the schema.
 *
 *   npm run test:conformance                                   # both parts; a fixed and a fresh seed, 12 programs per line and seed in CI
 *   bin/with-node npx vitest run --project conformance test/conformance/runs.test.ts   # this part only
 *   CONFORMANCE_RUNS=200 …                                     # programs per Flink line and seed
 *   CONFORMANCE_SEED=12345 CONFORMANCE_PROGRAM=c17 …           # replay one program (add CONFORMANCE_LINES=2.2 for one line)
 *
 * Programs are numbered among the valid programs of their seed (this part generates no near-misses, so `c17` here
 * is not the differential part's `c17`). The sample first takes programs that bring a feature the line's samples
 * lack, in tiers (each join kind, inner and left; then each window, dedupe, top-N, unnest, union, CDC, expectation,
 * `on error`, metadata and import; then the other constructs; then each stdlib function), then random ones.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FlinkTestSession } from '../../targets/flink-sql/test-runner/index.ts';
import { Random } from './random.ts';
import { candidateNamed, candidates, describeRun, isConstruct, runProgram, sample, type Run } from './runs.ts';
import { LINES, SEEDS } from './settings.ts';

/**
 * Programs per Flink line and seed: in CI 12 (the fresh seed's sample bringing what the fixed one's lacked), under three minutes per line with the JVM's start on a loaded two-core machine; 8 for a quick run elsewhere.
 */
const RUNS = Number(process.env['CONFORMANCE_RUNS'] ?? (process.env['CI'] ? 12 : 8));
/** Programs the sample is drawn from, per line and seed: enough for every construct to be among them. */
const POOL = Math.max(300, RUNS * 5);
const ONLY = process.env['CONFORMANCE_PROGRAM'];

describe.each(LINES)('Flink %s', (version) => {
  let session: FlinkTestSession;
  let work: string;
  const ran = new Set<string>();

  beforeAll(async () => {
    session = await FlinkTestSession.start(version);
    work = await mkdtemp(path.join(tmpdir(), `pipec-conformance-runs-${version}-`));
  });

  afterAll(async () => {
    await session.close();
    await rm(work, { recursive: true, force: true });
  });

  test.each(SEEDS)('seed %i: generated programs run on Flink and their sinks get rows that fit the registered schemas', async (seed) => {
    const started = Date.now();
    const chosen = ONLY !== undefined ? [candidateNamed(seed, version, ONLY)].flatMap((c) => (c ? [c] : [])) : sample(candidates(seed, version, POOL), RUNS, new Random(seed), ran);
    if (chosen.length === 0) throw new Error(`seed ${seed} has no program ${ONLY ?? ''} that pipec accepts on Flink ${version}`);
    const runs: Run[] = [];
    for (const c of chosen) runs.push(await runProgram(session, c, path.join(work, String(seed))));
    for (const r of runs) for (const f of r.candidate.program.features) ran.add(f);

    const failed = runs.filter((r) => r.outcome.kind === 'error' || (r.outcome.kind === 'ran' && r.outcome.problems.length > 0));
    const rows = runs.flatMap((r) => (r.outcome.kind === 'ran' ? Object.values(r.outcome.rows) : [])).sort((x, y) => x - y);
    const unchecked = runs.reduce((n, r) => n + (r.outcome.kind === 'ran' ? r.outcome.unchecked.length : 0), 0);
    const byDesign = new Map<string, number>();
    for (const r of runs) if (r.outcome.kind === 'failed-by-design') byDesign.set(r.outcome.reason, (byDesign.get(r.outcome.reason) ?? 0) + 1);
    const constructs = [...ran].filter(isConstruct);
    const functions = new Set([...ran].filter((f) => !isConstruct(f)).map((f) => f.replace(/#\d+$/, '')));
    const joins = constructs.filter((f) => f.startsWith('join:')).sort();
    console.log([
      `conformance runs: Flink ${version}, seed ${seed}: ${runs.length} programs run, ${failed.length} failed, ${[...byDesign.values()].reduce((n, x) => n + x, 0)} stopped by design (${[...byDesign].map(([why, n]) => `${n}× ${why}`).join(', ') || 'none'}); ${Math.round((Date.now() - started) / 1000)} s (jobs ${Math.round(runs.reduce((n, r) => n + r.ms, 0) / 1000)} s)`,
      `  rows per sink: ${rows.length} sinks, ${rows.reduce((n, x) => n + x, 0)} rows, median ${rows[Math.floor(rows.length / 2)] ?? 0}, max ${rows.at(-1) ?? 0}, ${rows.filter((x) => x === 0).length} sinks got none, ${unchecked} without a registered schema to check them against`,
      `  run on Flink ${version} so far: ${constructs.length} constructs, ${functions.size} stdlib functions; joins: ${joins.join(', ') || 'none'}`,
    ].join('\n'));
    expect(failed.length, failed.map((r) => describeRun(r, seed)).join('\n\n')).toBe(0);
  });
});
