/**
 * Every number the language takes has a range, checked at its span: counts, durations, settings and literals.
 * Literal types follow Flink's planner (checked with the real planner: a whole number is INT, else BIGINT, and
 * an exact literal whose digits do not fit in a BIGINT is "out of range" there).
 */
import { describe, expect, test } from 'vitest';
import { checkPipeline, codes, compileFiles, findings, PRELUDE } from '../../helpers/check.ts';
import { parse } from '../../../compiler/ast/parse.ts';
import { formatType } from '../../../compiler/types/types.ts';
import type * as A from '../../../compiler/ast/nodes.ts';

const sink = (clauses: string) => `stream s as select payment_id from payments;\nsink s into kafka topic 'o' format avro ${clauses};`;

const messages = (result: { diagnostics: readonly { code: string; message: string }[] }) => result.diagnostics.map((d) => `${d.code}: ${d.message}`);

describe('counts', () => {
  test('partitions and replication are at least 1, at their number (was an internal error)', () => {
    const result = checkPipeline(sink('partitions 0 replication 0'));
    expect(findings(result)).toEqual([
      { code: 'out-of-range', line: 2, column: 52 },
      { code: 'out-of-range', line: 2, column: 66 },
    ]);
    expect(messages(result)).toEqual([
      "out-of-range: a topic's partition count must be between 1 and 10000, not `0`",
      "out-of-range: a topic's replication factor must be between 1 and 32767, not `0`",
    ]);
  });

  test('a count is compared exactly, however many digits it has', () => {
    expect(codes(checkPipeline(sink('partitions 10000 replication 32767')))).toEqual([]);
    expect(codes(checkPipeline(sink('partitions 10001')))).toEqual(['out-of-range']);
    expect(codes(checkPipeline(sink(`partitions ${'9'.repeat(400)}`)))).toEqual(['out-of-range']);
  });

  test('`top 0` and a subject version 0 are out of range', () => {
    expect(findings(checkPipeline("stream s as top 0 from payments per customer_id order by amount desc;\nsink s into kafka topic 'o' format avro;"))).toEqual([{ code: 'out-of-range', line: 1, column: 17 }]);
    const version = checkPipeline("source p2 from kafka topic 'payments' format avro subject 'payments-value' version 0;\nstream s as select * from p2;\nsink s into kafka topic 'o' format avro;");
    expect(codes(version)).toContain('out-of-range');
  });

  test('parallelism is at most 32768 (Flink\'s largest max-parallelism)', () => {
    const header = (p: string) => compileFiles({ 'p.pipe': `pipeline p with (parallelism = ${p});\n${PRELUDE}\n${sink('')}` });
    expect(codes(header('32768'))).toEqual([]);
    expect(messages(header('32769'))).toEqual(["out-of-range: a job's parallelism must be between 1 and 32768, not `32769`"]);
  });
});

describe('durations', () => {
  const durationOf = (text: string): A.Duration | undefined => {
    const parsed = parse({ path: 'p.pipe', text: `source s from kafka topic 't' event time ts watermark ${text};` });
    const clause = parsed.ast.statements[0]?.kind === 'SourceDecl' ? parsed.ast.statements[0].clauses.find((c) => c.kind === 'EventTimeClause') : undefined;
    return clause?.kind === 'EventTimeClause' ? clause.watermark : undefined;
  };

  test('are computed exactly from the digits as written', () => {
    expect(durationOf('1.1 s')?.millis).toBe(1100);
    // 1.005 × 1000 is 1004.9999999999999 in floating point.
    expect(durationOf('1.005 s')?.millis).toBe(1005);
    expect(durationOf('0.001 s')?.millis).toBe(1);
    expect(durationOf('2e3 ms')?.millis).toBe(2000);
    expect(durationOf('1.5 h')?.millis).toBe(5_400_000);
  });

  test('are whole milliseconds, at most 100 years (was `"retention.ms": "0.5"` and `INTERVAL \'8.64e+24\' SECOND`)', () => {
    const half = parse({ path: 'p.pipe', text: "source s from kafka topic 't' event time ts watermark 0.5 ms;" });
    expect(half.diagnostics.map((d) => `${d.code}: ${d.message} @${d.span?.start}-${d.span?.end}`)).toEqual(['out-of-range: a duration must be a whole number of milliseconds, not `0.5 ms` @54-60']);
    const huge = parse({ path: 'p.pipe', text: "source s from kafka topic 't' event time ts watermark 1e20 d;" });
    expect(huge.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(['out-of-range: a duration must be at most 36500 d (100 years), not `1e20 d`']);
    expect(durationOf('36500 d')?.millis).toBe(36_500 * 86_400_000);
  });

  test('a window of no time, or no retention, is out of range; a watermark delay of 0 is not', () => {
    const window = checkPipeline("stream s as select window_start, count(*) as n from payments window hopping(event_time, 1 min, 0 s) group by window_start;\nsink s into kafka topic 'o' format avro;");
    expect(messages(window)).toEqual(['out-of-range: the slide of a hopping window must be greater than 0, not `0 s`']);
    expect(findings(window)).toEqual([{ code: 'out-of-range', line: 1, column: 96 }]);
    expect(codes(checkPipeline(sink('retention 0 ms')))).toEqual(['out-of-range']);
    // The prelude's merchants source has `watermark 0 s`.
    expect(codes(checkPipeline(sink('retention 7 d')))).toEqual([]);
  });

  test('intervals (watermarks, windows) are under 1000 days, the widest Flink plans; they print with the precision they need', () => {
    const job = (watermark: string, window: string) => {
      const result = compileFiles({ 'p.pipe': `pipeline p;\nsource events from kafka topic 'payments' format avro event time event_time watermark ${watermark};\nstream s as select window_start, count(*) as n from events window tumbling(event_time, ${window}) group by window_start;\nsink s into kafka topic 'o' format avro;` });
      return { codes: codes(result), sql: result.output?.artifacts.find((a) => a.path === 'p/job.sql')?.contents ?? '' };
    };
    const a = job('150 s', '100 d');
    expect(a.codes).toEqual([]);
    expect(a.sql).toContain("`event_time` - INTERVAL '150' SECOND(3)");
    expect(a.sql).toContain("INTERVAL '100' DAY(3)");
    const b = job('1.5 s', '999 d');
    expect(b.sql).toContain("INTERVAL '1.500' SECOND");
    expect(b.sql).toContain("INTERVAL '999' DAY(3)");
    const c = job('150.5 s', '1000 min');
    expect(c.sql).toContain("INTERVAL '150.500' SECOND(3)");
    expect(c.sql).toContain("INTERVAL '0 16:40:00.000' DAY(3) TO SECOND(3)");
    expect(job('1000 d', '1 h').codes).toEqual(['out-of-range']);
  });

  test('hopping(time, size, slide) is HOP(…, slide, size) (the two were swapped), and a size is a whole multiple of its slide', () => {
    const job = (window: string) => {
      const result = compileFiles({ 'p.pipe': `pipeline p;\n${PRELUDE}\nstream s as select window_start, count(*) as n from payments window ${window} group by window_start;\nsink s into kafka topic 'o' format avro;` });
      return { messages: messages(result), sql: result.output?.artifacts.find((a) => a.path === 'p/job.sql')?.contents ?? '' };
    };
    expect(job('hopping(event_time, 1 h, 5 min)').sql).toContain("DESCRIPTOR(`event_time`), INTERVAL '5' MINUTE, INTERVAL '1' HOUR)");
    expect(job('cumulative(event_time, 5 min, 1 h)').sql).toContain("DESCRIPTOR(`event_time`), INTERVAL '5' MINUTE, INTERVAL '1' HOUR)");
    expect(job('hopping(event_time, 1 min, 25 s)').messages).toEqual(['out-of-range: the size of a hopping window must be a whole multiple of its slide (25 s), not `1 min`']);
    expect(job('cumulative(event_time, 1 h, 90 min)').messages).toEqual(['out-of-range: the maximum size of a cumulative window must be a whole multiple of its step (1 h), not `90 min`']);
  });

  test('interval literals: a leading field past 2 digits is written with its precision, past Flink\'s widest it is out of range', () => {
    const select = (e: string) => {
      const result = compileFiles({ 'p.pipe': `pipeline p;\n${PRELUDE}\nstream s as select payment_id, event_time + ${e} as t from payments;\nsink s into kafka topic 'o' format json;` });
      return { messages: messages(result), sql: result.output?.artifacts.find((a) => a.path === 'p/job.sql')?.contents ?? '' };
    };
    expect(select("interval '100' day").sql).toContain("INTERVAL '100' DAY(3)");
    expect(select("interval '9999' year").sql).toContain("INTERVAL '9999' YEAR(4)");
    expect(select("interval '99' month").sql).toContain("INTERVAL '99' MONTH");
    expect(select("interval '1 12' day to hour").sql).toContain("INTERVAL '1 12' DAY TO HOUR");
    expect(select("interval '1000' day").messages).toEqual(['out-of-range: an interval of days must be at most 3 digits long (the widest Flink plans), not `1000`']);
    expect(select("interval '100' hour").messages).toEqual(['out-of-range: an interval of hours must be at most 2 digits long (the widest Flink plans), not `100`']);
    expect(select("interval '100' month").messages).toEqual(['out-of-range: an interval of months must be at most 2 digits long (the widest Flink plans), not `100`']);
  });

  test('checkpoints are at least 10 ms', () => {
    const header = (c: string) => compileFiles({ 'p.pipe': `pipeline p with (checkpoint = ${c});\n${PRELUDE}\n${sink('')}` });
    expect(codes(header('10 ms'))).toEqual([]);
    expect(codes(header('9 ms'))).toEqual(['out-of-range']);
    expect(codes(header('0 s'))).toEqual(['invalid-setting']);
  });
});

describe('number literals, typed like Flink types them', () => {
  const typeOf = (literal: string) => {
    const result = checkPipeline(`stream s as select ${literal} as x from payments;\nsink s into kafka topic 'o' format avro;`);
    const stream = result.program?.pipelines[0]?.streams.find((x) => x.name === 's');
    return { codes: codes(result), type: stream ? formatType(stream.type.columns[0]?.type ?? { kind: 'ERROR', nullable: true }) : undefined, result };
  };

  test('INT, then BIGINT; an exact literal past BIGINT is an error at its span (was typed BIGINT)', () => {
    expect(typeOf('2147483647').type).toBe('INT NOT NULL');
    expect(typeOf('-2147483648').type).toBe('INT NOT NULL');
    expect(typeOf('2147483648').type).toBe('BIGINT NOT NULL');
    expect(typeOf('-9223372036854775808').type).toBe('BIGINT NOT NULL');
    expect(typeOf('9223372036854775807').type).toBe('BIGINT NOT NULL');
    const past = typeOf('99999999999999999999');
    expect(past.codes).toEqual(['out-of-range']);
    expect(findings(past.result)).toEqual([{ code: 'out-of-range', line: 1, column: 20 }]);
    expect(past.result.diagnostics[0]?.hints).toEqual(["Flink rejects larger literals; write `cast('99999999999999999999' as decimal(20, 0))`"]);
    expect(typeOf('9223372036854775808').codes).toEqual(['out-of-range']);
  });

  test('decimals: DECIMAL(p, s) as written, at most a BIGINT of digits and a scale of 38 (a 40-digit decimal was dropped from the sink)', () => {
    expect(typeOf('12.50').type).toBe('DECIMAL(4, 2) NOT NULL');
    expect(typeOf('123456789012345678.5').type).toBe('DECIMAL(19, 1) NOT NULL');
    expect(typeOf('1234567890123456789.5').codes).toEqual(['out-of-range']);
    expect(typeOf(`1${'0'.repeat(39)}.5`).codes).toEqual(['out-of-range']);
    expect(typeOf(`0.${'0'.repeat(38)}1`).codes).toEqual(['out-of-range']);
  });

  test('DOUBLE literals within DOUBLE\'s range', () => {
    expect(typeOf('1e308').type).toBe('DOUBLE NOT NULL');
    expect(typeOf('1e400').codes).toEqual(['out-of-range']);
    expect(typeOf('1e-400').codes).toEqual(['out-of-range']);
    expect(typeOf('0e-400').type).toBe('DOUBLE NOT NULL');
  });
});

describe('names looked up in the configuration', () => {
  test('a connection named like what every object has (`constructor`, `toString`) is an unknown connection', () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      const result = checkPipeline(`stream s as select payment_id from payments;\nsink s into postgres table 'x' via connection \`${name}\` upsert key (payment_id);`);
      expect(codes(result)).toEqual(['unknown-connection']);
    }
  });
});
