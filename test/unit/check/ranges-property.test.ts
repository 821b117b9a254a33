/**
 * Property: whatever number is written wherever the language takes one — counts, durations, settings, number
 * literals — compiling never throws (an internal error, exit 3), and either the number is reported at its own
 * span (`out-of-range`, `invalid-number`, `invalid-setting`), or the artifacts carry it in range: topic
 * settings whole and within Kafka's limits, intervals without exponents or fractions of milliseconds.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileFiles, PRELUDE } from '../../helpers/check.ts';

/** A number as written: digits, an optional fraction, an optional exponent; long ones included. */
const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{1,${max}}$`));
const numberText = fc.oneof(
  digits(3),
  digits(45),
  fc.tuple(digits(20), digits(42)).map(([w, f]) => `${w}.${f}`),
  fc.tuple(digits(4), fc.integer({ min: -400, max: 400 })).map(([m, e]) => `${m}e${e}`),
  fc.constantFrom('0', '1', '0.5', '0.001', '2147483647', '2147483648', '9223372036854775807', '9223372036854775808', '10000', '10001', '32767', '32768', '32769', '86399999999', '86400000000', '999', '1000', '36500', '36501'),
);
const unit = fc.constantFrom('ms', 's', 'min', 'h', 'd');

const INTERVAL_UNITS: Readonly<Record<string, string>> = { ms: 'month', s: 'second', min: 'minute', h: 'hour', d: 'day' };

/** Where a number goes: the file around it, and which of the artifacts' values it becomes. */
interface Slot {
  readonly name: string;
  readonly build: (n: string, unit: string) => { readonly before: string; readonly number: string; readonly after: string };
}

const sink = (clause: string) => `stream s as select payment_id from payments;\nsink s into kafka topic 'o' format avro ${clause}`;
const SLOTS: readonly Slot[] = [
  { name: 'partitions', build: (n) => ({ before: `pipeline p;\n${PRELUDE}\n${sink('partitions ')}`, number: n, after: ';\n' }) },
  { name: 'replication', build: (n) => ({ before: `pipeline p;\n${PRELUDE}\n${sink('replication ')}`, number: n, after: ';\n' }) },
  { name: 'retention', build: (n, u) => ({ before: `pipeline p;\n${PRELUDE}\n${sink('retention ')}`, number: `${n} ${u}`, after: ';\n' }) },
  { name: 'parallelism', build: (n) => ({ before: 'pipeline p with (parallelism = ', number: n, after: `);\n${PRELUDE}\n${sink('')};\n` }) },
  { name: 'checkpoint', build: (n, u) => ({ before: 'pipeline p with (checkpoint = ', number: `${n} ${u}`, after: `);\n${PRELUDE}\n${sink('')};\n` }) },
  {
    name: 'watermark',
    build: (n, u) => ({ before: "pipeline p;\nsource ev from kafka topic 'payments' format avro event time event_time watermark ", number: `${n} ${u}`, after: ";\nstream s as select payment_id from ev;\nsink s into kafka topic 'o' format avro;\n" }),
  },
  {
    name: 'window size',
    build: (n, u) => ({ before: `pipeline p;\n${PRELUDE}\nstream s as select window_start, count(*) as c from payments window tumbling(event_time, `, number: `${n} ${u}`, after: ") group by window_start;\nsink s into kafka topic 'o' format avro;\n" }),
  },
  { name: 'top', build: (n) => ({ before: `pipeline p;\n${PRELUDE}\nstream s as top `, number: n, after: " from payments per customer_id order by amount desc;\nsink s into kafka topic 'o' format json upsert key (customer_id);\n" }) },
  {
    name: 'literal',
    build: (n) => ({ before: `pipeline p;\n${PRELUDE}\nstream s as select payment_id, `, number: n, after: " as x from payments;\nsink s into kafka topic 'o' format avro;\n" }),
  },
  {
    name: 'interval literal',
    build: (n, u) => ({ before: `pipeline p;\n${PRELUDE}\nstream s as select payment_id, event_time + `, number: `interval '${n}' ${INTERVAL_UNITS[u] ?? 'day'}`, after: " as t from payments;\nsink s into kafka topic 'o' format json;\n" }),
  },
  {
    name: 'negative literal',
    build: (n) => ({ before: `pipeline p;\n${PRELUDE}\nstream s as select payment_id, `, number: `-${n}`, after: " as x from payments;\nsink s into kafka topic 'o' format avro;\n" }),
  },
];

const RANGE_CODES = new Set(['out-of-range', 'invalid-number', 'invalid-setting']);

/** Problems with one compile; empty when the property holds. */
function problems(slot: Slot, n: string, u: string): string[] {
  const { before, number, after } = slot.build(n, u);
  const text = `${before}${number}${after}`;
  let result: ReturnType<typeof compileFiles>;
  try {
    result = compileFiles({ 'p.pipe': text });
  } catch (e) {
    return [`threw ${String(e)}`];
  }
  const start = before.length;
  const end = start + number.length;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const atNumber = errors.some((d) => RANGE_CODES.has(d.code) && d.span !== undefined && d.span.start >= start && d.span.start < end);
    return atNumber ? [] : [`errors not at the number: ${errors.map((d) => `${d.code}@${d.span?.start}: ${d.message}`).join('; ')}`];
  }
  const files = new Map((result.output?.artifacts ?? []).map((a) => [a.path, a.contents]));
  const found: string[] = [];
  const manifest = files.get('manifest.json') ?? '';
  for (const m of manifest.matchAll(/"partitions": (\d+)/g)) if (Number(m[1]) < 1 || Number(m[1]) > 10_000) found.push(`partitions ${m[1]}`);
  for (const m of manifest.matchAll(/"replication": (\d+)/g)) if (Number(m[1]) < 1 || Number(m[1]) > 32_767) found.push(`replication ${m[1]}`);
  for (const m of manifest.matchAll(/"retention\.ms": "([^"]*)"/g)) if (!/^[1-9]\d*$/.test(m[1] ?? '')) found.push(`retention.ms ${m[1]}`);
  const job = files.get('p/job.sql') ?? '';
  // Every interval as Flink plans it: no exponent, whole milliseconds, a leading field within its precision.
  for (const m of job.matchAll(/INTERVAL '([^']*)' ([A-Z]+)(?:\((\d)\))?/g)) {
    const [, value = '', unitName = '', precision = '2'] = m;
    const plain = /^(\d+)(\.\d{1,3})?$/.exec(value);
    const ok = plain ? (plain[1] ?? '').replace(/^0+/, '').length <= Number(precision) && (unitName !== 'MONTH' || precision === '2') : /^\d{1,3} \d\d:\d\d:\d\d\.\d{3}$/.test(value);
    if (!ok) found.push(`INTERVAL '${value}' ${unitName}${m[3] ? `(${m[3]})` : ''}`);
  }
  if (/'0' (DAY|HOUR|MINUTE|SECOND)/.test(job) && slot.name === 'window size') found.push('a window of no time');
  const parallelism = /'parallelism\.default' = '(\d+)'/.exec(job)?.[1];
  if (parallelism !== undefined && (Number(parallelism) < 1 || Number(parallelism) > 32_768)) found.push(`parallelism ${parallelism}`);
  const checkpoint = /'execution\.checkpointing\.interval' = '([^']*)'/.exec(job)?.[1];
  if (checkpoint !== undefined && !(/^\d+ ms$/.test(checkpoint) && parseInt(checkpoint, 10) >= 10)) found.push(`checkpoint ${checkpoint}`);
  const rows = /__pipec_row_number` <= (\S+);/.exec(job)?.[1];
  if (rows !== undefined && !(/^\d+$/.test(rows) && BigInt(rows) >= 1n && BigInt(rows) <= 2_147_483_647n)) found.push(`top ${rows}`);
  // The literal as the job carries it: what Flink's planner takes ("Numeric literal out of range" otherwise).
  if (slot.name.endsWith('literal')) found.push(...literalProblems(job));
  return found;
}

/** Number literals in the SELECT list of the job that Flink's planner would refuse. */
function literalProblems(job: string): string[] {
  const select = /, (\S+) AS `x`/.exec(job)?.[1];
  if (select === undefined) return [];
  const literal = select.replace(/^\((.*)\)$/, '$1');
  if (/[eE]/.test(literal)) return Number.isFinite(Number(literal)) && (Number(literal) !== 0 || !/[1-9]/.test(literal.replace(/[eE].*$/, ''))) ? [] : [`DOUBLE literal ${literal}`];
  const [whole = '', fraction = ''] = literal.replace(/^-/, '').split('.');
  const unscaled = BigInt(`${whole}${fraction}` || '0');
  const limit = literal.startsWith('-') ? 2n ** 63n : 2n ** 63n - 1n;
  return unscaled > limit || fraction.length > 38 ? [`exact literal ${literal}`] : [];
}

describe('every number, anywhere', () => {
  test.each(SLOTS.map((s) => [s.name, s] as const))('%s: never an internal error; out of range is reported at the number', (_name, slot) => {
    fc.assert(
      fc.property(numberText, unit, (n, u) => {
        expect(problems(slot, n, u)).toEqual([]);
      }),
      { numRuns: 80 },
    );
  });
});
