/**
 * Generated-job efficiency on the local stack's real Flink (`npm run bench jobs`): records/s of the jobs pipec
 * generates for the examples against the same logic written by hand (test/bench/jobs/hand/*.sql), and the
 * effect of pipec's choices (one job per pipeline with a statement set vs one job per sink; mini-batch on or
 * off) on throughput and checkpointed state size.
 *
 * Method: fixed input loaded once into fresh topics (jobs/data.ts); each variant runs bounded over it
 * (jobs/prepare.ts says exactly what is changed in the SQL), round-robin over the variants so that load on
 * the machine spreads over all of them; records/s = input records / job duration (JobManager start → end).
 * Every run's output is read back and reduced to a row count and checksum: variants of one pipeline must
 * write the same result, or the comparison is void and the bench exits 1.
 *
 * Environment: PIPEC_BENCH_JOBS_RECORDS (payments and card authorizations each, default 200000),
 * PIPEC_BENCH_JOBS_RUNS (default 3), PIPEC_BENCH_JOBS_ONLY (comma-separated group keys: enrich, window,
 * dedupe, two_sinks), PIPEC_BENCH_JOBS_CONTROL=1 (an A/A control, see withControl), PIPEC_BENCH_JOBS_DUMP
 * (a folder to write every run's sorted result rows to), PIPEC_BENCH_JOBS_KEEP=1 (keep output topics);
 * the stack as in jobs/stack.ts (PIPEC_LOCAL_EXTERNAL, PIPEC_LOCAL_CONFIG).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { SchemaRegistryClient } from '../../clients/schema-registry.ts';
import { SqlGatewayClient } from '../../clients/sql-gateway.ts';
import { generatedJobs } from './jobs/compile.ts';
import type { InputTopics, LoadedInput } from './jobs/data.ts';
import { INPUT_PARTITIONS, KEEP_FOREVER, loadInput } from './jobs/data.ts';
import { optimizedPlan, planDifferences, withoutTargetColumns } from './jobs/plans.ts';
import { CHECKPOINT_INTERVAL, prepareRun } from './jobs/prepare.ts';
import { runPrepared } from './jobs/run.ts';
import { acquireStack } from './jobs/stack.ts';
import type { TopicResult } from './jobs/verify.ts';
import { OutputReader } from './jobs/verify.ts';
import { median } from './stats.ts';
import { muteKafkajsTimerWarning } from '../../clients/kafkajs-timer-warning.ts';

type Input = keyof InputTopics;

interface Variant {
  readonly label: string;
  readonly sql: string;
  readonly split: boolean;
}

interface Group {
  readonly key: string;
  readonly title: string;
  readonly inputs: readonly Input[];
  /** The first is the reference the others' ratios are taken against. */
  readonly variants: readonly Variant[];
  /** Compare the optimized plans of the first two variants (generated vs hand-written). */
  readonly explain: boolean;
}

export interface JobsBenchRow {
  readonly group: string;
  readonly variant: string;
  readonly jobs: number;
  readonly inputRecords: number;
  readonly runs: number;
  readonly medianSeconds: number;
  readonly medianRecordsPerSecond: number;
  /** Against the group's reference variant: median records/s ÷ the reference's median records/s. */
  readonly ratio: number;
  /**
   * The median over rounds of (this variant's records/s ÷ the reference's in the same round): runs of one
   * round are minutes apart, so this pairs runs made under similar load and is the steadier of the two.
   */
  readonly pairedRatio: number;
  /** CPU time of the Flink JVM per run, and input records per CPU second (steadier than wall-clock on a busy machine). */
  readonly medianCpuSeconds: number;
  readonly medianRecordsPerCpuSecond: number;
  /** Paired like pairedRatio, on records per CPU second. */
  readonly pairedCpuRatio: number;
  readonly medianStateBytes: number;
  readonly outputRows: string;
  readonly sameOutput: boolean;
}

export interface JobsBenchResult {
  readonly rows: readonly JobsBenchRow[];
  /** EXPLAIN of the hand-written vs the generated job; `onlyTargetColumns`: the plans differ only in the sink's targetColumns. */
  readonly plans: readonly { group: string; same: boolean; onlyTargetColumns: boolean; differences: readonly string[] }[];
  readonly load: { readonly before: number; readonly after: number };
  readonly input: LoadedInput;
  readonly flinkVersion: string;
  readonly problems: readonly string[];
  /** Runs made again because their output differed from their pipeline's majority result. */
  readonly reruns: number;
}

const HAND = path.join(import.meta.dirname, 'jobs', 'hand');
const hand = (pipeline: string): string => readFileSync(path.join(HAND, `${pipeline}.sql`), 'utf8');

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return n;
}

/**
 * PIPEC_BENCH_JOBS_CONTROL=1 adds the hand-written job a second time to each comparison with a hand-written
 * reference: an A/A control whose ratio shows how far two runs of the very same job drift on this machine.
 */
function withControl(groups: Group[]): Group[] {
  if (process.env['PIPEC_BENCH_JOBS_CONTROL'] !== '1') return groups;
  return groups.map((g) => {
    const [reference] = g.variants;
    return g.explain && reference ? { ...g, variants: [...g.variants, { ...reference, label: `${reference.label}, again (A/A control)` }] } : g;
  });
}

function groups(base: Map<string, string>, windowMiniBatch: Map<string, string>, leadersNoMiniBatch: Map<string, string>): Group[] {
  const job = (jobs: Map<string, string>, pipeline: string): string => {
    const sql = jobs.get(pipeline);
    if (!sql) throw new Error(`pipec generated no job.sql for ${pipeline}`);
    return sql;
  };
  return [
    {
      key: 'enrich',
      title: 'enrichment: temporal join (payments_enriched)',
      inputs: ['payments', 'loans'],
      variants: [
        { label: 'hand-written', sql: hand('payments_enriched'), split: false },
        { label: 'generated', sql: job(base, 'payments_enriched'), split: false },
      ],
      explain: true,
    },
    {
      key: 'window',
      title: 'window aggregation: 1-minute tumbling (payments_per_minute)',
      inputs: ['payments'],
      variants: [
        { label: 'hand-written', sql: hand('payments_per_minute'), split: false },
        { label: 'generated (mini-batch off, pipec default)', sql: job(base, 'payments_per_minute'), split: false },
        { label: 'generated, mini_batch = true', sql: job(windowMiniBatch, 'payments_per_minute'), split: false },
      ],
      explain: true,
    },
    {
      key: 'dedupe',
      title: 'dedupe: first per payment id in event time (payments_dedupe)',
      inputs: ['payments'],
      variants: [
        { label: 'hand-written', sql: hand('payments_dedupe'), split: false },
        { label: 'generated', sql: job(base, 'payments_dedupe'), split: false },
      ],
      explain: true,
    },
    {
      key: 'two_sinks',
      title: 'two sinks: hourly top 3 + running aggregate after a temporal join (merchant_leaders)',
      inputs: ['cardAuthorizations', 'merchants'],
      variants: [
        { label: 'generated: one job, statement set, mini-batch on (pipec default)', sql: job(base, 'merchant_leaders'), split: false },
        { label: 'one job per sink, mini-batch on', sql: job(base, 'merchant_leaders'), split: true },
        { label: 'one job, statement set, mini_batch = false', sql: job(leadersNoMiniBatch, 'merchant_leaders'), split: false },
      ],
      explain: false,
    },
  ];
}

/** The topic names the example sources read, mapped to the loaded input topics. */
const sourceTopics = (t: InputTopics): Record<string, string> => ({ payments: t.payments, 'loans.public.loans': t.loans, 'card-authorizations': t.cardAuthorizations, merchants: t.merchants });

interface RunRecord {
  readonly jobs: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly recordsPerCpuSecond: number;
  readonly recordsPerSecond: number;
  readonly stateBytes: number;
  readonly outputs: ReadonlyMap<string, TopicResult>;
}

/** The output most runs wrote. */
function modalOutput(records: readonly RunRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(outputKey(r.outputs), (counts.get(outputKey(r.outputs)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

const outputKey = (outputs: ReadonlyMap<string, TopicResult>): string =>
  [...outputs].sort(([a], [b]) => a.localeCompare(b)).map(([table, r]) => `${table}:${r.rows}:${r.checksum}`).join(' ');

export async function benchJobs(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<JobsBenchResult> {
  const records = intEnv('PIPEC_BENCH_JOBS_RECORDS', 200_000);
  const runs = intEnv('PIPEC_BENCH_JOBS_RUNS', 3);
  const only = process.env['PIPEC_BENCH_JOBS_ONLY']?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const stack = await acquireStack(log);
  const problems: string[] = [];
  try {
    const { endpoints } = stack;
    const gateway = new SqlGatewayClient(endpoints.sqlGatewayUrl, { timeoutMs: 120_000 });
    const registry = new SchemaRegistryClient(endpoints.schemaRegistryUrl);
    // kafkajs' own timer prints a warning on about every request (clients/kafkajs-timer-warning.ts).
    muteKafkajsTimerWarning();
    const kafka = new Kafka({ clientId: 'pipec-bench-jobs', brokers: [endpoints.kafkaBootstrap], logLevel: logLevel.WARN, retry: { retries: 8 } });
    const reader = new OutputReader(kafka, registry);
    const flinkVersion = (await gateway.info()).version;

    const [base, windowMiniBatch, leadersNoMiniBatch] = await Promise.all([
      generatedJobs(endpoints.flinkLine),
      generatedJobs(endpoints.flinkLine, { pipeline: 'payments_per_minute', setting: 'mini_batch = true' }),
      generatedJobs(endpoints.flinkLine, { pipeline: 'merchant_leaders', setting: 'mini_batch = false' }),
    ]);
    const selected = withControl(groups(base, windowMiniBatch, leadersNoMiniBatch)).filter((g) => !only || only.includes(g.key));
    if (selected.length === 0) throw new Error(`PIPEC_BENCH_JOBS_ONLY selects no group (groups: enrich, window, dedupe, two_sinks)`);

    const suffix = `${Date.now().toString(36)}`;
    log(`loading ${records.toLocaleString('en-US')} payments and card authorizations (+ loans, merchants) into topics *.${suffix}`);
    const input = await loadInput(kafka, registry, suffix, records, log);
    log(`loaded in ${(input.produceMs / 1000).toFixed(1)} s`);
    const topics = sourceTopics(input.topics);
    const loadBefore = loadavg()[0] ?? Number.NaN;

    const plans: { group: string; same: boolean; onlyTargetColumns: boolean; differences: string[] }[] = [];
    for (const g of selected.filter((x) => x.explain)) {
      const [a, b] = g.variants;
      if (!a || !b) continue;
      const prepared = (v: Variant): ReturnType<typeof prepareRun> => prepareRun(v.sql, { endpoints, inputTopics: topics, runTag: `explain-${suffix}`, split: false });
      const [planA, planB] = [await optimizedPlan(gateway, prepared(a)), await optimizedPlan(gateway, prepared(b))];
      const differences = planDifferences(withoutTargetColumns(planA), withoutTargetColumns(planB));
      const onlyTargetColumns = differences.length === 0 && planA !== planB;
      plans.push({ group: g.title, same: differences.length === 0, onlyTargetColumns, differences });
      log(`plan ${g.key}: ${a.label} vs ${b.label}: ${differences.length === 0 ? `the same optimized plan${onlyTargetColumns ? ' (but for the sink\'s targetColumns)' : ''}` : `${differences.length / 2} lines differ`}`);
    }

    const admin = kafka.admin();
    await admin.connect();
    const dump = process.env['PIPEC_BENCH_JOBS_DUMP'];
    const runOnce = async (g: Group, vi: number, tag: string): Promise<RunRecord> => {
      const v = g.variants[vi];
      if (!v) throw new Error(`no variant ${vi} in ${g.key}`);
      const inputRecords = g.inputs.reduce((sum, i) => sum + input.counts[i], 0);
      const runTag = `${g.key}-${vi}-${tag.replace(/[^a-z0-9.]+/gi, '_')}-${suffix}`;
      const prepared = prepareRun(v.sql, { endpoints, inputTopics: topics, runTag, split: v.split });
      await admin.createTopics({ topics: prepared.sinks.map((s) => ({ topic: s.topic, numPartitions: INPUT_PARTITIONS, replicationFactor: 1, configEntries: KEEP_FOREVER })), waitForLeaders: true });
      const m = await runPrepared(gateway, endpoints.flinkRestUrl, stack.flinkPid, prepared);
      const outputs = new Map<string, TopicResult>();
      for (const sink of prepared.sinks) outputs.set(sink.table, await reader.read(sink, dump ? path.join(dump, `${runTag}.${sink.table}.txt`) : undefined));
      // PIPEC_BENCH_JOBS_KEEP=1 keeps the output topics (and logs the job ids) to look into a run.
      if (process.env['PIPEC_BENCH_JOBS_KEEP'] === '1') log(`  kept ${prepared.sinks.map((s) => s.topic).join(', ')} of jobs ${m.jobIds.join(', ')}`);
      else await admin.deleteTopics({ topics: prepared.sinks.map((s) => s.topic) });
      const seconds = m.durationMs / 1000;
      const rec: RunRecord = { jobs: m.jobIds.length, seconds, cpuSeconds: m.cpuSeconds, recordsPerCpuSecond: inputRecords / m.cpuSeconds, recordsPerSecond: inputRecords / seconds, stateBytes: m.stateBytes, outputs };
      log(`${tag} ${g.key} · ${v.label}: ${seconds.toFixed(1)} s, ${Math.round(rec.recordsPerSecond).toLocaleString('en-US')} records/s, ${m.cpuSeconds.toFixed(1)} CPU s, state ${(m.stateBytes / 1048576).toFixed(1)} MiB (${m.checkpoints} checkpoints), ${outputKey(outputs)} · load ${(loadavg()[0] ?? 0).toFixed(1)}`);
      return rec;
    };

    const measured = new Map<string, RunRecord[]>();
    let reruns = 0;
    try {
      // One unmeasured run per pipeline first: the first jobs in a fresh JVM load and JIT-compile the
      // connectors, formats and operators, which would count against whichever variant ran first.
      for (const g of selected) await runOnce(g, 0, 'warm-up');
      // Round-robin: run r of every variant before run r+1 of any, starting one variant further on each round,
      // so neither a busy spell on the machine nor the position in the round favours a variant.
      for (let run = 1; run <= runs; run++) {
        for (const g of selected) {
          for (let k = 0; k < g.variants.length; k++) {
            const vi = (k + run - 1) % g.variants.length;
            const rec = await runOnce(g, vi, `run ${run}/${runs}`);
            measured.set(`${g.key}/${vi}`, [...(measured.get(`${g.key}/${vi}`) ?? []), rec]);
          }
        }
      }
      // Every variant of a pipeline must write the same result. A run whose output differs from the result
      // most runs of its pipeline agree on is run again (at most twice); what still differs is reported.
      for (const g of selected) {
        const mode = modalOutput(g.variants.flatMap((_v, vi) => measured.get(`${g.key}/${vi}`) ?? []));
        for (const [vi] of g.variants.entries()) {
          const rs = measured.get(`${g.key}/${vi}`) ?? [];
          for (const [n, r] of rs.entries()) {
            let current = r;
            for (let attempt = 1; attempt <= 2 && outputKey(current.outputs) !== mode; attempt++) {
              reruns++;
              log(`output differs from the pipeline's majority result (${outputKey(current.outputs)} vs ${mode}): running again`);
              current = await runOnce(g, vi, `re-run ${n + 1}.${attempt}`);
            }
            rs[n] = current;
          }
        }
      }
    } finally {
      // The input is this run's alone; a long-lived stack (PIPEC_LOCAL_EXTERNAL=1) should not keep it.
      if (process.env['PIPEC_BENCH_JOBS_KEEP'] !== '1') await admin.deleteTopics({ topics: Object.values(input.topics) }).catch(() => undefined);
      await admin.disconnect();
    }

    const rows: JobsBenchRow[] = [];
    for (const g of selected) {
      const inputRecords = g.inputs.reduce((sum, i) => sum + input.counts[i], 0);
      const reference = measured.get(`${g.key}/0`) ?? [];
      const referenceRate = median(reference.map((r) => r.recordsPerSecond));
      const referenceOutput = modalOutput(g.variants.flatMap((_v, vi) => measured.get(`${g.key}/${vi}`) ?? []));
      for (const [vi, v] of g.variants.entries()) {
        const rs = measured.get(`${g.key}/${vi}`) ?? [];
        const keys = new Set(rs.map((r) => outputKey(r.outputs)));
        const same = keys.size === 1 && keys.has(referenceOutput);
        if (!same) problems.push(`${g.key} · ${v.label}: output differs from the other variants' or between runs: ${[...keys].join(' | ')} vs ${referenceOutput}`);
        const rate = median(rs.map((r) => r.recordsPerSecond));
        rows.push({
          group: g.title,
          variant: v.label,
          jobs: rs[0]?.jobs ?? 0,
          inputRecords,
          runs: rs.length,
          medianSeconds: median(rs.map((r) => r.seconds)),
          medianRecordsPerSecond: rate,
          ratio: rate / referenceRate,
          pairedRatio: median(rs.flatMap((r, n) => (reference[n] ? [r.recordsPerSecond / reference[n].recordsPerSecond] : []))),
          medianCpuSeconds: median(rs.map((r) => r.cpuSeconds)),
          medianRecordsPerCpuSecond: median(rs.map((r) => r.recordsPerCpuSecond)),
          pairedCpuRatio: median(rs.flatMap((r, n) => (reference[n] ? [r.recordsPerCpuSecond / reference[n].recordsPerCpuSecond] : []))),
          medianStateBytes: median(rs.map((r) => r.stateBytes)),
          outputRows: [...(rs[0]?.outputs ?? new Map<string, TopicResult>())].map(([table, r]) => `${table}: ${r.rows.toLocaleString('en-US')}${r.records !== r.rows ? ` (${r.records.toLocaleString('en-US')} records)` : ''}`).join(', '),
          sameOutput: same,
        });
      }
    }
    return { rows, plans, load: { before: loadBefore, after: loadavg()[0] ?? Number.NaN }, input, flinkVersion, problems, reruns };
  } finally {
    await stack.release();
  }
}

/** Mentioned in the output so a reader knows the run's fixed settings. */
export const JOBS_BENCH_SETTINGS = `checkpoint interval ${CHECKPOINT_INTERVAL} for every variant, sources bounded at the latest offset`;
