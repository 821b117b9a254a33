/** Prints the job benchmark's results: a console table, then the Markdown table BENCHMARKS.md carries. */
import type { JobsBenchResult } from '../jobs-bench.ts';
import { JOBS_BENCH_SETTINGS } from '../jobs-bench.ts';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number): string => (bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`);

export function printJobsBench(result: JobsBenchResult): void {
  const { rows, plans, load, input } = result;
  console.log(`generated-job efficiency on the local Flink ${result.flinkVersion} (medians of ${rows[0]?.runs ?? 0} runs; ${JOBS_BENCH_SETTINGS})`);
  console.log(`input: ${int(input.counts.payments)} payments, ${int(input.counts.loans)} loans, ${int(input.counts.cardAuthorizations)} card authorizations, ${int(input.counts.merchants)} merchants; load average ${load.before.toFixed(1)} → ${load.after.toFixed(1)}`);
  console.table(
    rows.map((r) => ({
      group: r.group,
      variant: r.variant,
      jobs: r.jobs,
      's (median)': r.medianSeconds.toFixed(1),
      'records/s': int(r.medianRecordsPerSecond),
      ratio: `${r.ratio.toFixed(2)}×`,
      'paired ratio': `${r.pairedRatio.toFixed(2)}×`,
      'CPU s': r.medianCpuSeconds.toFixed(1),
      'records/CPU s': int(r.medianRecordsPerCpuSecond),
      'paired CPU ratio': `${r.pairedCpuRatio.toFixed(2)}×`,
      'state (max checkpoint)': mib(r.medianStateBytes),
      'same output': r.sameOutput ? 'yes' : 'NO',
    })),
  );
  for (const p of plans) {
    const same = `hand-written and generated have the same optimized plan${p.onlyTargetColumns ? " (but for the sink's targetColumns: pipec's INSERT names its columns)" : ''}`;
    console.log(`EXPLAIN ${p.group}: ${p.same ? same : 'the optimized plans differ:'}`);
    for (const line of p.differences) console.log(`  ${line}`);
  }
  console.log('\nMarkdown:\n');
  console.log('| pipeline | variant | jobs | input records | median s | records/s | ratio (paired) | Flink CPU s | records/CPU s | ratio (paired) | state (largest checkpoint) | output rows |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.group} | ${r.variant} | ${r.jobs} | ${int(r.inputRecords)} | ${r.medianSeconds.toFixed(1)} | ${int(r.medianRecordsPerSecond)} | ${r.pairedRatio.toFixed(2)}× | ${r.medianCpuSeconds.toFixed(1)} | ${int(r.medianRecordsPerCpuSecond)} | ${r.pairedCpuRatio.toFixed(2)}× | ${mib(r.medianStateBytes)} | ${r.outputRows}${r.sameOutput ? '' : ' **(differs)**'} |`);
  }
  if (result.reruns > 0) console.log(`\n${result.reruns} run(s) were made again because their output differed from the result most runs of the pipeline wrote (see the log above).`);
  for (const p of result.problems) console.error(`problem: ${p}`);
}
