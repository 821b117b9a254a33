import { describe, expect, test } from 'vitest';
import { checkFiles, checkPipeline, codes, findings } from '../../helpers/check.ts';
import { explain } from '../../../compiler/explain/explain.ts';
import { formatType } from '../../../compiler/types/types.ts';

const streamType = (body: string, name: string) => {
  const result = checkPipeline(body);
  const stream = result.program?.pipelines[0]?.streams.find((s) => s.name === name);
  return { result, stream };
};

describe('name resolution', () => {
  test('resolves columns of sources, aliases and qualified references', () => {
    const { result, stream } = streamType('stream s as select p.payment_id, amount, l.country from payments p join logins l on p.customer_id = l.customer_id and p.event_time between l.event_time and l.event_time + interval 10 minute;\nsink s into kafka topic \'o\' format avro;', 's');
    expect(codes(result)).toEqual([]);
    expect(stream?.type.columns.map((c) => c.name)).toEqual(['payment_id', 'amount', 'country']);
  });

  test('an unknown column is reported at its name, with a suggestion', () => {
    const result = checkPipeline("stream s as select amout from payments;\nsink s into kafka topic 'o' format avro;");
    expect(findings(result)).toEqual([{ code: 'unknown-column', line: 1, column: 20 }]);
    expect(result.diagnostics[0]?.hints).toContain('did you mean `amount`?');
  });

  test('an unknown relation suggests the closest declared name', () => {
    const result = checkPipeline("stream s as select * from paymnets;\nsink s into kafka topic 'o' format avro;");
    expect(codes(result)).toEqual(['unknown-relation']);
    expect(result.diagnostics[0]?.hints[0]).toBe('did you mean `payments`?');
  });

  test('an unqualified column in two inputs is ambiguous', () => {
    const result = checkPipeline("stream s as select customer_id from payments p join logins l on p.customer_id = l.customer_id;\nsink s into kafka topic 'o' format avro;");
    expect(codes(result)).toContain('ambiguous-column');
  });

  test('fields of ROW columns and array elements are typed', () => {
    const { result, stream } = streamType("stream s as select address.city, tags[1] as first_tag from payments;\nsink s into kafka topic 'o' format avro;", 's');
    expect(codes(result)).toEqual([]);
    expect(stream?.type.columns.map((c) => `${c.name} ${formatType(c.type)}`)).toEqual(['city STRING', 'first_tag STRING']);
  });

  test('imports make declarations of other files visible; unknown imports are reported', async () => {
    const { checkFiles } = await import('../../helpers/check.ts');
    const result = checkFiles({
      'shared/sources.pipe': "source payments from kafka topic 'payments' format avro event time event_time watermark 5 s;",
      'p.pipe': "pipeline p;\nimport payments, refunds from 'shared/sources.pipe';\nstream s as select payment_id from payments;\nsink s into kafka topic 'o' format avro;",
    });
    expect(codes(result)).toEqual(['import-unknown-name']);
  });
});

describe('expression typing', () => {
  test('arithmetic, comparison and CASE follow Flink types (CHAR literals of different lengths meet as VARCHAR)', () => {
    const { result, stream } = streamType(
      "stream s as select amount * 2 as doubled, case when amount > 100 then 'big' else 'small' end as size, cast(amount as double) as d from payments;\nsink s into kafka topic 'o' format avro;",
      's',
    );
    expect(codes(result)).toEqual([]);
    expect(stream?.type.columns.map((c) => `${c.name} ${formatType(c.type)}`)).toEqual(['doubled DECIMAL(23, 2) NOT NULL', 'size VARCHAR(5) NOT NULL', 'd DOUBLE NOT NULL']);
  });

  test('comparing a timestamp with a number is a type error at the comparison', () => {
    const result = checkPipeline("stream s as select * from payments where event_time > 5;\nsink s into kafka topic 'o' format avro;");
    expect(codes(result)).toEqual(['operator-type-mismatch']);
  });

  test('a number compares with a string by ordering and IN, not by = or <> (the Flink planner refuses those)', () => {
    const refused = checkPipeline("stream s as select * from payments where amount <> 'LOW';\nsink s into kafka topic 'o' format avro;");
    expect(findings(refused)).toEqual([{ code: 'operator-type-mismatch', line: 1, column: 42 }]);
    expect(refused.diagnostics[0]?.hints).toEqual(["compare with a number, written without quotes, or CAST one side to the other's type"]);
    expect(codes(checkPipeline("stream s as select * from payments where amount > '5' and amount in ('1', '2');\nsink s into kafka topic 'o' format avro;"))).toEqual([]);
  });

  test('WHERE needs a boolean', () => {
    const result = checkPipeline("stream s as select * from payments where amount;\nsink s into kafka topic 'o' format avro;");
    expect(codes(result)).toEqual(['expected-boolean']);
  });

  test('unknown functions suggest close names; aggregates are not allowed in WHERE', () => {
    expect(codes(checkPipeline("stream s as select lowr(currency) as c from payments;\nsink s into kafka topic 'o' format avro;"))).toEqual(['unknown-function']);
    expect(codes(checkPipeline("stream s as select * from payments where count(*) > 1;\nsink s into kafka topic 'o' format avro;"))).toContain('aggregate-not-allowed');
  });

  test('a computed column needs a name', () => {
    expect(codes(checkPipeline("stream s as select amount + 1 from payments;\nsink s into kafka topic 'o' format avro;"))).toEqual(['unnamed-column']);
  });

  test('one mistake is reported once, not at every expression built on it', () => {
    const result = checkPipeline("stream s as select (nope + 1) * 2 as x, upper(nope) as y from payments;\nsink s into kafka topic 'o' format avro;");
    expect(codes(result)).toEqual(['unknown-column', 'unknown-column']);
  });
});

describe('changelog modes and time attributes', () => {
  const mode = (body: string, name: string) => {
    const { stream } = streamType(body, name);
    const c = stream?.type.changelog;
    return c?.kind === 'updating' ? `updating ${c.key?.join(',') ?? '?'}` : c?.kind;
  };

  test('filters and projections of an append source stay append-only', () => {
    expect(mode("stream s as select * from payments where amount > 10;\nsink s into kafka topic 'o' format avro;", 's')).toBe('append');
  });

  test('a group aggregation updates, keyed by its group key', () => {
    expect(mode("stream s as select customer_id, sum(amount) as total from payments group by customer_id;\nsink s into kafka topic 'o' format avro upsert key (customer_id);", 's')).toBe('updating customer_id');
  });

  test('a window aggregation is append-only and keeps window_time as event time', () => {
    const { result, stream } = streamType("stream s as select window_start, window_end, window_time, count(*) as n from payments window tumbling(event_time, 1 min) group by window_start, window_end, window_time;\nsink s into kafka topic 'o' format avro;", 's');
    expect(codes(result)).toEqual([]);
    expect(stream?.type.changelog.kind).toBe('append');
    const windowTime = stream?.type.columns.find((c) => c.name === 'window_time')?.type;
    expect(windowTime?.kind === 'TIMESTAMP' && windowTime.timeAttribute).toBe('rowtime');
  });

  test('dedupe keep first by event time updates (Flink: only processing-time keep-first is insert-only)', () => {
    expect(mode("stream s as dedupe payments by payment_id keep first;\nsink s into kafka topic 'o' format avro upsert key (payment_id);", 's')).toBe('updating payment_id');
  });

  test('a temporal join against a versioned table is append-only', () => {
    expect(mode("stream s as select p.payment_id, m.category from payments p join merchants for system_time as of p.event_time m on p.customer_id = m.merchant_id;\nsink s into kafka topic 'o' format avro;", 's')).toBe('append');
  });

  test('CDC sources read the row of the Debezium envelope and update by primary key', () => {
    const { stream } = streamType("stream s as select loan_id, principal from loans;\nsink s into kafka topic 'o' format avro upsert key (loan_id);", 's');
    expect(stream?.type.columns.map((c) => c.name)).toEqual(['loan_id', 'principal']);
    expect(mode("stream s as select loan_id, principal from loans;\nsink s into kafka topic 'o' format avro upsert key (loan_id);", 's')).toBe('updating loan_id');
  });

  test("a filter that fixes an updating input's key to a literal loses the key (Flink selects the literal and materializes)", () => {
    const sink = "\nsink s into kafka topic 'o' format avro upsert key (loan_id);";
    expect(mode(`stream s as select loan_id, principal from loans where loan_id = 'L1' and principal > 0;${sink}`, 's')).toBe('updating ?');
    expect(mode(`stream s as select loan_id, principal from loans where not (loan_id <> 'L1' or loan_id is null);${sink}`, 's')).toBe('updating ?');
    expect(mode(`stream s as select loan_id, principal from loans where loan_id = 'L1' or principal > 0;${sink}`, 's')).toBe('updating loan_id');
    // An aggregate keeps its group key however the filter fixes it (planned on Flink 1.20 and 2.2: no materializer).
    expect(mode("stream s as select customer_id, count(*) as n from payments where customer_id = 7 group by customer_id;\nsink s into kafka topic 'o' format avro upsert key (customer_id);", 's')).toBe('updating customer_id');
  });

  test('event time must be TIMESTAMP(3); a microsecond column is refused with a fix', () => {
    const result = checkPipeline("source p2 from kafka topic 'payments' format avro event time created_micros watermark 5 s;\nstream s as select * from p2;\nsink s into kafka topic 'o' format avro;");
    expect(codes(result)).toEqual(['event-time-type']);
  });

  test('windows need a time attribute', () => {
    const result = checkPipeline("stream t as select customer_id, count(*) as n, max(event_time) as last_seen from payments group by customer_id;\nstream s as select window_start, count(*) as n from t window tumbling(last_seen, 1 min) group by window_start;\nsink s into kafka topic 'o' format avro;");
    expect(codes(result)).toContain('window-needs-time-attribute');
  });
});

describe('declarations', () => {
  test('pipeline settings are validated against the settings table', () => {
    const result = checkPipeline('', undefined);
    expect(codes(result)).toEqual(['pipeline-without-sink']);
    const bad = checkPipeline("stream s as select * from payments;\nsink s into kafka topic 'o' format avro;");
    expect(codes(bad)).toEqual([]);
  });

  test('unknown systems, formats and connections are reported with suggestions', () => {
    expect(codes(checkPipeline("source x from kafak topic 'x';"))).toContain('unknown-system');
    expect(codes(checkPipeline("source x from kafka topic 'payments' format avor;"))).toContain('unknown-format');
    expect(codes(checkPipeline("source x from postgres table 'public.loans' via connection loan_db primary key (loan_id);"))).toContain('unknown-connection');
  });
});

describe('functions newer than the targeted Flink line', () => {
  const body = "stream s as select payment_id, to_timestamp_ltz(1700000000000) as at from payments;\nsink s into kafka topic 'o' format avro;";

  test('a form added in Flink 2.2 is refused on 1.20, at the call, naming the version it needs', () => {
    const result = checkPipeline(body, undefined, '1.20');
    expect(findings(result)).toEqual([{ code: 'no-matching-overload', line: 1, column: 32 }]);
    expect(result.diagnostics[0]?.hints[0]).toBe('this form of to_timestamp_ltz needs Flink 2.2 or later; the project targets Flink 1.20');
  });

  test('the same call binds on 2.2', () => {
    expect(codes(checkPipeline(body, undefined, '2.2'))).toEqual([]);
  });

  test('a computed event time is gated too', () => {
    const source = "source q from kafka topic 'logins' format avro event time at = to_timestamp_ltz(1700000000000) watermark 1 s;\nstream s as select * from q;\nsink s into kafka topic 'o' format avro;";
    expect(codes(checkPipeline(source, undefined, '1.20'))).toEqual(['no-matching-overload']);
    expect(codes(checkPipeline(source, undefined, '2.2'))).toEqual([]);
  });
});

describe('outer joins', () => {
  const typesOf = (body: string): string[] => {
    const { result, stream } = streamType(`${body}\nsink s into kafka topic 'o' format avro upsert key (payment_id);`, 's');
    // (A warning that the join leaves no key unique is fine here: these tests are about the columns' types.)
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([]);
    return stream?.type.columns.map((c) => `${c.name} ${formatType(c.type)}`) ?? [];
  };

  test('a regular LEFT JOIN makes the right side nullable and keeps the left side as it is', () => {
    expect(typesOf('stream s as select p.payment_id, l.country from payments p left join logins l on p.customer_id = l.customer_id;'))
      .toEqual(['payment_id STRING NOT NULL', 'country STRING']);
  });

  test('a LEFT interval join makes the right side nullable', () => {
    expect(typesOf('stream s as select p.payment_id, l.country from payments p left join logins l on p.customer_id = l.customer_id and l.event_time between p.event_time - interval 1 minute and p.event_time;'))
      .toEqual(['payment_id STRING NOT NULL', 'country STRING']);
  });

  test('a LEFT temporal join makes the versioned side nullable', () => {
    expect(typesOf('stream s as select p.payment_id, m.category from payments p left join merchants for system_time as of p.event_time m on p.customer_id = m.merchant_id;'))
      .toEqual(['payment_id STRING NOT NULL', 'category STRING']);
  });

  test('an inner join keeps both sides as they are', () => {
    expect(typesOf('stream s as select p.payment_id, l.country from payments p join logins l on p.customer_id = l.customer_id;'))
      .toEqual(['payment_id STRING NOT NULL', 'country STRING NOT NULL']);
  });
});

describe('aggregates inside scalar calls', () => {
  test('a scalar function of an aggregate is allowed where the aggregate is', () => {
    const { result, stream } = streamType("stream s as select customer_id, round(sum(amount), 1) as total, cardinality(array_agg(status)) as statuses from payments group by customer_id;\nsink s into kafka topic 'o' format avro upsert key (customer_id);", 's');
    expect(codes(result)).toEqual([]);
    expect(stream?.type.columns.map((c) => `${c.name} ${formatType(c.type)}`)).toEqual(['customer_id STRING NOT NULL', 'total DECIMAL(38, 1) NOT NULL', 'statuses INT']);
  });

  test('but not in WHERE, and never nested in another aggregate', () => {
    expect(codes(checkPipeline("stream s as select payment_id from payments where abs(sum(amount)) > 1;\nsink s into kafka topic 'o' format avro;"))).toEqual(['aggregate-not-allowed']);
    expect(codes(checkPipeline("stream s as select customer_id, max(abs(sum(amount))) as m from payments group by customer_id;\nsink s into kafka topic 'o' format avro upsert key (customer_id);"))).toEqual(['nested-aggregate']);
  });
});

describe('types Flink derives', () => {
  test('a decimal literal counts every digit written, leading zeros too (Calcite)', () => {
    const { result, stream } = streamType("stream s as select amount * 0.5 as half, amount * .5 as also_half from payments;\nsink s into kafka topic 'o' format avro;", 's');
    expect(codes(result)).toEqual([]);
    expect(stream?.type.columns.map((c) => formatType(c.type))).toEqual(['DECIMAL(15, 3) NOT NULL', 'DECIMAL(14, 3) NOT NULL']);
  });

  test('cardinality takes an array or a map, not a multiset (Flink has no code for it)', () => {
    expect(codes(checkPipeline("stream s as select customer_id, cardinality(collect(status)) as n from payments group by customer_id;\nsink s into kafka topic 'o' format avro upsert key (customer_id);"))).toEqual(['no-matching-overload']);
    expect(codes(checkPipeline("stream s as select cardinality(tags) as n from payments;\nsink s into kafka topic 'o' format avro;"))).toEqual([]);
  });
});

describe('first_value and last_value', () => {
  test('take the types Flink implements them for: numbers, booleans and strings', () => {
    const body = (arg: string) => `stream s as select customer_id, first_value(${arg}) as f, last_value(${arg}) as l from payments group by customer_id;\nsink s into kafka topic 'o' format avro upsert key (customer_id);`;
    expect(codes(checkPipeline(body('amount')))).toEqual([]);
    expect(codes(checkPipeline(body('status')))).toEqual([]);
    const refused = (arg: string) => codes(checkPipeline(body(arg))).filter((c) => c === 'no-matching-overload');
    expect(refused('event_time')).toEqual(['no-matching-overload', 'no-matching-overload']);
    expect(refused('tags')).toEqual(['no-matching-overload', 'no-matching-overload']);
    // A string literal is a CHAR, for which Flink's LAST_VALUE has no code; a STRING column or cast works.
    expect(refused("'x'")).toEqual(['no-matching-overload', 'no-matching-overload']);
    expect(refused("cast('x' as string)")).toEqual([]);
  });
});

test('json_exists takes its path as a string literal, as Flink generates code only for that', () => {
  expect(codes(checkPipeline("stream s as select json_exists(status, '$.a') as has_a from payments;\nsink s into kafka topic 'o' format avro;"))).toEqual([]);
  expect(codes(checkPipeline("stream s as select json_exists(status, currency) as has_a from payments;\nsink s into kafka topic 'o' format avro;"))).toEqual(['no-matching-overload']);
});

describe('argument types Flink generates code for', () => {
  const refused = (expr: string) => codes(checkPipeline(`stream s as select ${expr} as x from payments;\nsink s into kafka topic 'o' format avro;`));

  test('date_format takes a timestamp or a string, not a DATE', () => {
    expect(refused("date_format(event_time, 'yyyy')")).toEqual([]);
    expect(refused("date_format(date '2026-01-01', 'yyyy')")).toEqual(['no-matching-overload']);
  });

  test('rand, rand_integer and truncate take an INT where Flink generates code for a Java int, not a BIGINT', () => {
    expect(refused('rand(42)')).toEqual([]);
    expect(refused('rand(cast(42 as bigint))')).toEqual(['no-matching-overload']);
    expect(refused('rand_integer(cast(10 as bigint))')).toEqual(['no-matching-overload']);
    expect(refused('truncate(amount, cast(1 as bigint))')).toEqual(['no-matching-overload']);
    expect(refused('truncate(amount, 1)')).toEqual([]);
  });
});

test('count takes one argument and sha2 a literal length of 224, 256, 384 or 512, as Flink plans them', () => {
  const body = (expr: string) => `stream s as select customer_id, ${expr} as x from payments group by customer_id;\nsink s into kafka topic 'o' format avro upsert key (customer_id);`;
  expect(codes(checkPipeline(body('count(status)')))).toEqual([]);
  expect(codes(checkPipeline(body('count(status, currency)')))).toContain('no-matching-overload');
  expect(codes(checkPipeline("stream s as select sha2(status, 256) as h from payments;\nsink s into kafka topic 'o' format avro;"))).toEqual([]);
  expect(codes(checkPipeline("stream s as select sha2(status, 3) as h from payments;\nsink s into kafka topic 'o' format avro;"))).toEqual(['no-matching-overload']);
});

describe('expectations', () => {
  test('a condition sees the stream\'s own columns, by name or by the stream\'s name', () => {
    const result = checkPipeline("stream s as select payment_id, amount as paid from payments\n  expect positive: paid > 0 and s.payment_id <> '' else drop;\nsink s into kafka topic 'o';");
    expect(result.diagnostics).toEqual([]);
    expect(result.program?.pipelines[0]?.streams[0]?.expectations.map((e) => [e.name, e.condition.type.kind, e.otherwise.kind])).toEqual([['positive', 'BOOLEAN', 'drop']]);
  });

  test('a column of the query\'s input that the stream does not keep is unknown there', () => {
    const result = checkPipeline("stream s as select payment_id from payments\n  expect positive: amount > 0;\nsink s into kafka topic 'o';");
    expect(findings(result)).toEqual([{ code: 'unknown-column', line: 2, column: 20 }]);
    expect(result.diagnostics[0]?.message).toBe('`s` has no column `amount`');
  });

  test('a condition is BOOLEAN and has no aggregate', () => {
    expect(findings(checkPipeline("stream s as select * from payments\n  expect positive: amount;\nsink s into kafka topic 'o';"))).toEqual([{ code: 'expected-boolean', line: 2, column: 20 }]);
    expect(codes(checkPipeline("stream s as select * from payments\n  expect positive: sum(amount) > 0;\nsink s into kafka topic 'o';"))).toEqual(['aggregate-not-allowed']);
  });

  test('without `else`, a row that fails an expectation is dropped; a source without `on error` fails', () => {
    const result = checkPipeline("stream s as select * from payments expect positive: amount > 0;\nsink s into kafka topic 'o';");
    expect(result.program?.pipelines[0]?.streams[0]?.expectations[0]?.otherwise).toEqual({ kind: 'drop' });
    expect(result.program?.pipelines[0]?.sources[0]?.onError).toEqual({ kind: 'fail' });
  });

  test('explain lists each expectation and a source\'s `on error`, where the rejected rows go', () => {
    const result = checkFiles({ 'p.pipe': "pipeline p with (checkpoint = 10 s);\nsource payments from kafka topic 'payments' format avro on error dead letter 'payments.undecodable';\nstream s as select payment_id from payments expect named: payment_id <> '' else dead letter 'payments.rejected' expect short: char_length(payment_id) < 40;\nsink s into kafka topic 'o';" });
    const text = result.program ? explain(result.program, '') : '';
    expect(text).toContain('  source payments  ← kafka topic payments\n    on error: dead letter → kafka topic payments.undecodable\n');
    expect(text).toContain('    expect named, else dead letter → kafka topic payments.rejected\n    expect short, else drop the row\n');
  });

  test('a dead-letter topic is a topic pipec writes: its name is checked', () => {
    expect(codes(checkPipeline("stream s as select * from payments expect positive: amount > 0 else dead letter 'bad topic';\nsink s into kafka topic 'o';"))).toEqual(['invalid-external-name']);
  });
});
