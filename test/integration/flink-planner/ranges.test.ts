/**
 * The edges of pipec's ranges are what Flink plans: the widest interval pipec accepts (just under 1000 days,
 * printed `DAY(3) TO SECOND(3)`), amounts that need an explicit precision (`SECOND(3)`), fractional seconds,
 * hopping windows (size and slide in Flink's order; the size a whole multiple of the slide), interval literals
 * as wide as Flink takes them (`YEAR(4)`, `DAY(3)`, 2 digits below a day),
 * and number literals at the ends of INT, BIGINT, DECIMAL and DOUBLE. Values one step past these are
 * `out-of-range` errors in pipec (test/unit/check/ranges.test.ts) and "out of range" in Flink.
 *
 * Needs Java 17+ and Maven (the planner harness, test/planner-check); planning contacts no Kafka.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkWithFlinkPlanner } from '../../planner-check/index.ts';
import { compileFiles } from '../../helpers/check.ts';

const substitutions = {
  '${pipec:registry.url}': 'http://127.0.0.1:1',
  '${pipec:kafka.bootstrap_servers}': '127.0.0.1:1',
  '${pipec:flink.plan_path}': 'file:///tmp/pipec-planner-check-unused.json',
};

const LONGEST_INTERVAL = `${1000 * 86_400_000 - 1} ms`;

const PIPELINE = `pipeline edges with (checkpoint = 10 ms, parallelism = 1);
source payments from kafka topic 'payments' format json event time event_time watermark ${LONGEST_INTERVAL};

stream widest as
  select window_start, count(*) as n from payments window tumbling(event_time, ${LONGEST_INTERVAL}) group by window_start;
stream precise as
  select window_start, count(*) as n from payments window hopping(event_time, 301 s, 150.5 s) group by window_start;
stream hourly as
  select window_start, count(*) as n from payments window hopping(event_time, 1 h, 5 min) group by window_start;
stream shifted as
  select event_time + interval '99' hour as a, event_time + interval '99' minute as b, event_time + interval '99.5' second as c,
    event_time + interval '999' day as d, event_time - interval '9999' year as e, event_time + interval '99' month as f
  from payments;
stream days as
  select window_start, count(*) as n from payments window cumulative(event_time, 100 d, 900 d) group by window_start;
stream literals as
  select 2147483647 as max_int, 2147483648 as min_bigint_above_int, -9223372036854775808 as min_bigint,
    9223372036854775807 as max_bigint, 123456789012345678.5 as widest_decimal, 0.${'0'.repeat(37)}1 as finest_decimal,
    1e308 as large_double, 4.9e-324 as tiny_double
  from payments;

sink widest into kafka topic 'widest' format json;
sink precise into kafka topic 'precise' format json;
sink days into kafka topic 'days' format json;
sink hourly into kafka topic 'hourly' format json;
sink shifted into kafka topic 'shifted' format json;
sink literals into kafka topic 'literals' format json;
`;

describe.each(['1.20', '2.2'] as const)('Flink %s', (version) => {
  test('plans the edges of every range pipec accepts', async () => {
    const result = compileFiles({ 'edges.pipe': PIPELINE });
    expect(result.diagnostics.map((d) => d.message)).toEqual([]);
    const job = result.output?.artifacts.find((a) => a.path === 'edges/job.sql')?.contents ?? '';
    expect(job).toContain("INTERVAL '999 23:59:59.999' DAY(3) TO SECOND(3)");
    expect(job).toContain("INTERVAL '150.500' SECOND(3)");
    expect(job).toContain("INTERVAL '900' DAY(3)");
    const dir = await mkdtemp(path.join(tmpdir(), `pipec-ranges-${version}-`));
    await mkdir(path.join(dir, 'edges'));
    const file = path.join(dir, 'edges', 'job.sql');
    await writeFile(file, job);
    const [planned] = await checkWithFlinkPlanner([file], version, { substitutions });
    expect(planned?.error?.message).toBeUndefined();
    expect(planned?.ok).toBe(true);
  });
});
