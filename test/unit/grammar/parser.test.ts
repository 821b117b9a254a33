/**
 * One test per construct of docs/language.md: a snippet in, the AST's compact print out (sexpr.ts; no spans).
 * The last test parses every `pipe` block of the document itself, so the docs cannot drift from the grammar.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from '../../../compiler/ast/parse.ts';
import { expression, parseClean, sexpr, statement } from './sexpr.ts';

const codes = (text: string): string[] => parse({ path: 'test.pipe', text }).diagnostics.map((d) => d.code);

describe('lexical structure', () => {
  test('comments are kept apart from the AST, in source order', () => {
    const parsed = parse({ path: 'c.pipe', text: "-- one\nsource p from kafka topic 'p'; /* two\n lines */ -- three\n" });
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.comments.map((c) => c.image)).toEqual(['-- one', '/* two\n lines */', '-- three']);
    expect(sexpr(parsed.ast)).toMatchInlineSnapshot(`"(PipeFile statements=[(SourceDecl name=p endpoint=(Endpoint system=kafka objectKind=topic object='p'))])"`);
  });

  test('keywords are case-insensitive', () => {
    expect(statement('STREAM s AS SELECT a FROM t WHERE a IS NOT NULL;')).toBe(statement('stream s as select a from t where a is not null;'));
  });

  test('soft keywords are names outside their clauses', () => {
    expect(statement('stream s as select key, format, time, timestamp, date, top from t;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(ExprItem expression=key) (ExprItem expression=format) (ExprItem expression=time) (ExprItem expression=timestamp) (ExprItem expression=date) (ExprItem expression=top)] from=(FromItem relation=(NamedRelation name=t))))"`);
  });

  test('an alias without `as` must be a plain name', () => {
    expect(codes('stream s as select a from payments key;')).toEqual(['syntax-error']);
    expect(statement('stream s as select a b from payments as key;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(ExprItem expression=a alias=b)] from=(FromItem relation=(NamedRelation name=payments) alias=key)))"`);
  });

  test('quoted identifiers: reserved words, other characters, doubled backquotes', () => {
    const file = parseClean('stream quoted as select `select`, `order-id`, `it``s` as its, `Straße` from `legacy payments`;');
    expect(sexpr(file.statements[0])).toMatchInlineSnapshot(`"(StreamDecl name=quoted query=(SelectQuery items=[(ExprItem expression=select) (ExprItem expression=order-id) (ExprItem expression=it\`s alias=its) (ExprItem expression=Straße)] from=(FromItem relation=(NamedRelation name=legacy payments))))"`);
    const s = file.statements[0];
    expect(s?.kind === 'StreamDecl' && s.query.kind === 'SelectQuery' && s.query.items[0]).toMatchObject({ expression: { column: { name: 'select', quoted: true } } });
  });

  test('literals', () => {
    expect(expression("'it''s'")).toBe("'it's'");
    expect(expression('42')).toMatchInlineSnapshot(`"42"`);
    expect(expression('-1.5e3')).toMatchInlineSnapshot(`"-1.5e3"`);
    expect(expression('.5')).toMatchInlineSnapshot(`".5"`);
    expect(expression('true')).toBe('true');
    expect(expression('false')).toBe('false');
    expect(expression('null')).toBe('null');
    expect(expression("timestamp '2026-01-01 00:00:00'")).toMatchInlineSnapshot(`"(TypedLit type=TIMESTAMP value=2026-01-01 00:00:00)"`);
    expect(expression("timestamp_ltz '2026-01-01 00:00:00'")).toMatchInlineSnapshot(`"(TypedLit type=TIMESTAMP_LTZ value=2026-01-01 00:00:00)"`);
    expect(expression("date '2026-01-01'")).toMatchInlineSnapshot(`"(TypedLit type=DATE value=2026-01-01)"`);
    expect(expression("time '12:30:00'")).toMatchInlineSnapshot(`"(TypedLit type=TIME value=12:30:00)"`);
  });

  test('interval literals', () => {
    expect(expression("interval '5' minute")).toMatchInlineSnapshot(`"(IntervalLit value=5 unit=MINUTE)"`);
    expect(expression('interval 2 hours')).toMatchInlineSnapshot(`"(IntervalLit value=2 unit=HOUR)"`);
    expect(expression("interval '1 12' day to hour")).toMatchInlineSnapshot(`"(IntervalLit value=1 12 unit=DAY toUnit=HOUR)"`);
    expect(expression("INTERVAL '3' MONTHS")).toMatchInlineSnapshot(`"(IntervalLit value=3 unit=MONTH)"`);
  });

  test('durations, with every unit spelling', () => {
    const units = ['ms', 'millisecond', 'milliseconds', 's', 'sec', 'second', 'seconds', 'm', 'min', 'minute', 'minutes', 'h', 'hour', 'hours', 'd', 'day', 'days'];
    for (const unit of units) {
      const header = parseClean(`pipeline p with (checkpoint = 2 ${unit});`).pipeline;
      expect(header?.settings[0]?.value).toMatchObject({ kind: 'Duration', amount: 2, unit });
    }
    expect(parseClean('pipeline p with (checkpoint = 500 ms, state_ttl = 7 d);').pipeline?.settings.map((s) => s.value)).toMatchObject([
      { millis: 500 },
      { millis: 7 * 86_400_000 },
    ]);
  });
});

describe('files, header and imports', () => {
  test('pipeline header with owner, description and every setting kind', () => {
    const text = `pipeline missed_payments owner 'collections-data' description 'Hourly'
      with (parallelism = 4, checkpoint = 30 s, state_ttl = 7 d, startup = earliest, delivery = exactly_once, mini_batch = true, 'raw' = 'x');`;
    expect(sexpr(parseClean(text).pipeline)).toMatchInlineSnapshot(`"(PipelineHeader name=missed_payments owner='collections-data' description='Hourly' settings=[(Setting key=parallelism value=4) (Setting key=checkpoint value=30s) (Setting key=state_ttl value=7d) (Setting key=startup value=earliest) (Setting key=delivery value=exactly_once) (Setting key=mini_batch value=true) (Setting key='raw' value='x')])"`);
  });

  test('a header with nothing but its name', () => {
    expect(sexpr(parseClean('pipeline p;').pipeline)).toMatchInlineSnapshot(`"(PipelineHeader name=p)"`);
  });

  test('a file without a header is a library', () => {
    expect(parseClean("source p from kafka topic 'p';").pipeline).toBeUndefined();
  });

  test('import', () => {
    expect(statement("import payments, loans from 'shared/sources.pipe';")).toMatchInlineSnapshot(`"(ImportDecl names=[payments loans] from='shared/sources.pipe')"`);
  });
});

describe('sources', () => {
  test('a Kafka source with every clause', () => {
    const text = `source payments from kafka topic 'payments'
      format avro
      key format raw as payment_key
      subject 'payments-value' version 3
      key subject 'payments-key'
      event time event_time watermark 5 s
      primary key (payment_id)
      startup earliest
      metadata (kafka_ts from timestamp, part from partition, offset)
      with ('properties.fetch.max.wait.ms' = '100');`;
    expect(statement(text)).toMatchInlineSnapshot(`"(SourceDecl name=payments endpoint=(Endpoint system=kafka objectKind=topic object='payments') clauses=[(FormatClause part=value format=avro) (FormatClause part=key format=raw alias=payment_key) (SubjectClause part=value subject='payments-value' version=3) (SubjectClause part=key subject='payments-key') (EventTimeClause column=event_time watermark=5s) (PrimaryKeyClause columns=[payment_id]) (StartupClause mode=earliest) (MetadataClause columns=[(MetadataColumn name=kafka_ts field=timestamp) (MetadataColumn name=part field=partition) (MetadataColumn name=offset)]) (OptionsClause options=[(Setting key='properties.fetch.max.wait.ms' value='100')])])"`);
  });

  test('computed event time, processing time, startup with a value', () => {
    const text = `source logins from kafka topic 'logins' format json
      event time ts = to_timestamp_ltz(created_ms, 3) watermark 10 s
      processing time proc_time
      startup timestamp '2026-01-01 00:00:00';`;
    expect(statement(text)).toMatchInlineSnapshot(`"(SourceDecl name=logins endpoint=(Endpoint system=kafka objectKind=topic object='logins') clauses=[(FormatClause part=value format=json) (EventTimeClause column=ts expression=(Call name=to_timestamp_ltz args=[created_ms 3]) watermark=10s) (ProcessingTimeClause column=proc_time) (StartupClause mode=timestamp value='2026-01-01 00:00:00')])"`);
  });

  test('CDC sources', () => {
    expect(statement("source loans from postgres table 'public.loans' via connection loans_db primary key (loan_id);")).toMatchInlineSnapshot(`"(SourceDecl name=loans endpoint=(Endpoint system=postgres objectKind=table object='public.loans') clauses=[(ViaClause connection=loans_db) (PrimaryKeyClause columns=[loan_id])])"`);
    expect(statement("source customers from mysql table 'crm.customers' via connection crm_db format json primary key (customer_id);")).toMatchInlineSnapshot(`"(SourceDecl name=customers endpoint=(Endpoint system=mysql objectKind=table object='crm.customers') clauses=[(ViaClause connection=crm_db) (FormatClause part=value format=json) (PrimaryKeyClause columns=[customer_id])])"`);
  });
});

describe('rejected records', () => {
  test('a source says what to do with a record it cannot decode', () => {
    expect(statement("source p from kafka topic 'p' on error skip;")).toMatchInlineSnapshot(`"(SourceDecl name=p endpoint=(Endpoint system=kafka objectKind=topic object='p') clauses=[(OnErrorClause disposal=(Skip))])"`);
    expect(statement("source p from kafka topic 'p' ON ERROR FAIL;")).toMatchInlineSnapshot(`"(SourceDecl name=p endpoint=(Endpoint system=kafka objectKind=topic object='p') clauses=[(OnErrorClause disposal=(Fail))])"`);
    expect(statement("source p from kafka topic 'p' format avro on error dead letter 'p.undecodable';")).toMatchInlineSnapshot(`"(SourceDecl name=p endpoint=(Endpoint system=kafka objectKind=topic object='p') clauses=[(FormatClause part=value format=avro) (OnErrorClause disposal=(DeadLetter topic='p.undecodable'))])"`);
  });

  test('expectations follow a stream\'s query, each with what to do with the rows that fail it', () => {
    const text = `stream s as select * from payments where status = 'PAID'
      expect positive: amount > 0 else dead letter 'payments.rejected'
      expect known_currency: currency in ('EUR', 'USD')
      expect bounded: case when amount > 10 then amount < 100 else true end else fail;`;
    expect(statement(text)).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(StarItem)] from=(FromItem relation=(NamedRelation name=payments)) where=(= status 'PAID')) expectations=[(Expectation name=positive condition=(> amount 0) otherwise=(DeadLetter topic='payments.rejected')) (Expectation name=known_currency condition=(InList operand=currency list=['EUR' 'USD'])) (Expectation name=bounded condition=(CaseExpr whens=[(when=(> amount 10) then=(< amount 100))] else=true) otherwise=(Fail))])"`);
  });

  test('a source cannot drop and an expectation cannot skip: each takes its own word', () => {
    expect(codes("source p from kafka topic 'p' on error drop;")).toEqual(['unknown-disposal']);
    expect(codes('stream s as select * from p expect x: a > 0 else skip;')).toEqual(['unknown-disposal']);
    expect(codes('stream s as select * from p expect x a > 0;')).toEqual(['syntax-error']);
  });

  test('the soft keywords stay names elsewhere', () => {
    expect(statement('stream s as select error, dead, letter, expect from t;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(ExprItem expression=error) (ExprItem expression=dead) (ExprItem expression=letter) (ExprItem expression=expect)] from=(FromItem relation=(NamedRelation name=t))))"`);
  });
});

describe('streams', () => {
  test('select with expressions, CASE, CAST, filter', () => {
    const text = `stream large as select p.payment_id, p.amount * 100 as amount_cents, upper(p.currency) currency,
      case when p.amount > 1000 then 'large' else 'regular' end as size, cast(p.installment as string) as installment
      from payments p where p.status = 'PAID' and p.amount > 500;`;
    expect(statement(text)).toMatchInlineSnapshot(`"(StreamDecl name=large query=(SelectQuery items=[(ExprItem expression=p.payment_id) (ExprItem expression=(* p.amount 100) alias=amount_cents) (ExprItem expression=(Call name=upper args=[p.currency]) alias=currency) (ExprItem expression=(CaseExpr whens=[(when=(> p.amount 1000) then='large')] else='regular') alias=size) (ExprItem expression=(CastExpr expression=p.installment type=(TypeRef name=STRING)) alias=installment)] from=(FromItem relation=(NamedRelation name=payments) alias=p) where=(AND (= p.status 'PAID') (> p.amount 500))))"`);
  });

  test('star, qualified star, distinct, subquery with alias', () => {
    expect(statement('stream s as select * from payments;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(StarItem)] from=(FromItem relation=(NamedRelation name=payments))))"`);
    expect(statement('stream s as select p.*, l.customer_id from payments p join loans l on p.loan_id = l.loan_id;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(StarItem qualifier=p) (ExprItem expression=l.customer_id)] from=(FromItem relation=(NamedRelation name=payments) alias=p) joins=[(RelationJoin joinType=inner relation=(NamedRelation name=loans) alias=l on=(= p.loan_id l.loan_id))]))"`);
    expect(statement('stream s as select distinct loan_id from (select loan_id from payments where amount > 0) as positive;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery distinct items=[(ExprItem expression=loan_id)] from=(FromItem relation=(SubqueryRelation query=(SelectQuery items=[(ExprItem expression=loan_id)] from=(FromItem relation=(NamedRelation name=payments)) where=(> amount 0))) alias=positive)))"`);
  });

  test('group by and having', () => {
    expect(statement("stream s as select loan_id, sum(amount) as paid from payments where status = 'PAID' group by loan_id having sum(amount) > 0;")).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(ExprItem expression=loan_id) (ExprItem expression=(Call name=sum args=[amount]) alias=paid)] from=(FromItem relation=(NamedRelation name=payments)) where=(= status 'PAID') groupBy=[loan_id] having=(> (Call name=sum args=[amount]) 0)))"`);
  });

  test('inner and left joins', () => {
    const join = (text: string) => {
      const s = parseClean(`stream s as select a from t ${text};`).statements[0];
      return s?.kind === 'StreamDecl' && s.query.kind === 'SelectQuery' ? sexpr(s.query.joins) : '';
    };
    expect(join('join u on t.id = u.id')).toMatchInlineSnapshot(`"[(RelationJoin joinType=inner relation=(NamedRelation name=u) on=(= t.id u.id))]"`);
    expect(join('inner join u x on t.id = x.id')).toBe(join('join u x on t.id = x.id'));
    expect(join('left join u on t.id = u.id')).toMatchInlineSnapshot(`"[(RelationJoin joinType=left relation=(NamedRelation name=u) on=(= t.id u.id))]"`);
    expect(join('left outer join u on t.id = u.id')).toBe(join('left join u on t.id = u.id'));
    expect(join('join (select id from u) as x on t.id = x.id')).toMatchInlineSnapshot(`"[(RelationJoin joinType=inner relation=(SubqueryRelation query=(SelectQuery items=[(ExprItem expression=id)] from=(FromItem relation=(NamedRelation name=u)))) alias=x on=(= t.id x.id))]"`);
  });

  test('interval join: between on two event times', () => {
    const text = `stream s as select o.order_id from orders o join shipments s
      on o.order_id = s.order_id and s.event_time between o.event_time and o.event_time + interval '4' hour;`;
    expect(statement(text)).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(ExprItem expression=o.order_id)] from=(FromItem relation=(NamedRelation name=orders) alias=o) joins=[(RelationJoin joinType=inner relation=(NamedRelation name=shipments) alias=s on=(AND (= o.order_id s.order_id) (Between operand=s.event_time low=o.event_time high=(+ o.event_time (IntervalLit value=4 unit=HOUR)))))]))"`);
  });

  test('temporal join', () => {
    expect(statement('stream s as select p.id from payments p join rates for system_time as of p.event_time r on p.currency = r.currency;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(ExprItem expression=p.id)] from=(FromItem relation=(NamedRelation name=payments) alias=p) joins=[(RelationJoin joinType=inner relation=(NamedRelation name=rates) alias=r asOf=p.event_time on=(= p.currency r.currency))]))"`);
  });

  test('cross join unnest, with and without column names', () => {
    expect(statement('stream s as select c.id, item.sku from checkouts c cross join unnest(c.items) as item(sku, quantity);')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(ExprItem expression=c.id) (ExprItem expression=item.sku)] from=(FromItem relation=(NamedRelation name=checkouts) alias=c) joins=[(UnnestJoin expression=c.items alias=item columns=[sku quantity])]))"`);
    expect(statement('stream s as select tag from posts p cross join unnest(p.tags) tag;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(ExprItem expression=tag)] from=(FromItem relation=(NamedRelation name=posts) alias=p) joins=[(UnnestJoin expression=p.tags alias=tag)]))"`);
  });

  test('windows: tumbling, hopping, cumulative, session', () => {
    const window = (text: string) => {
      const s = parseClean(`stream s as select window_start from t window ${text} group by window_start;`).statements[0];
      return s?.kind === 'StreamDecl' && s.query.kind === 'SelectQuery' ? sexpr(s.query.from) : '';
    };
    expect(window('tumbling(event_time, 1 min)')).toMatchInlineSnapshot(`"(FromItem relation=(NamedRelation name=t) window=(WindowClause function=tumbling args=[event_time 1min]))"`);
    expect(window('hopping(event_time, 1 h, 5 min)')).toMatchInlineSnapshot(`"(FromItem relation=(NamedRelation name=t) window=(WindowClause function=hopping args=[event_time 1h 5min]))"`);
    expect(window('cumulative(event_time, 1 h, 1 d)')).toMatchInlineSnapshot(`"(FromItem relation=(NamedRelation name=t) window=(WindowClause function=cumulative args=[event_time 1h 1d]))"`);
    expect(window('session(event_time, 30 min, customer_id)')).toMatchInlineSnapshot(`"(FromItem relation=(NamedRelation name=t) window=(WindowClause function=session args=[event_time 30min customer_id]))"`);
    expect(statement('stream s as select window_start, count(*) as n from payments p window tumbling(p.event_time, 1 h) group by window_start;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(SelectQuery items=[(ExprItem expression=window_start) (ExprItem expression=(Call name=count star) alias=n)] from=(FromItem relation=(NamedRelation name=payments) alias=p window=(WindowClause function=tumbling args=[p.event_time 1h])) groupBy=[window_start]))"`);
  });

  test('dedupe', () => {
    expect(statement('stream s as dedupe payments by payment_id keep first;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(DedupeQuery relation=payments keys=[payment_id] keep=first))"`);
    expect(statement('stream s as dedupe payments by (loan_id, installment) keep last order by event_time;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(DedupeQuery relation=payments keys=[loan_id installment] keep=last orderBy=event_time))"`);
  });

  test('top', () => {
    expect(statement('stream s as top 3 from hourly_volume per window_start order by volume desc;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(TopQuery count=3 relation=hourly_volume partitionBy=[window_start] orderBy=[(OrderItem expression=volume descending)]))"`);
    expect(statement('stream s as top 10 from payments per (a, b) order by amount desc, event_time asc, x;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(TopQuery count=10 relation=payments partitionBy=[a b] orderBy=[(OrderItem expression=amount descending) (OrderItem expression=event_time) (OrderItem expression=x)]))"`);
  });

  test('union all, flat and parenthesized', () => {
    expect(statement('stream s as select a from x union all select a from y union all select a from z;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(UnionQuery inputs=[(SelectQuery items=[(ExprItem expression=a)] from=(FromItem relation=(NamedRelation name=x))) (SelectQuery items=[(ExprItem expression=a)] from=(FromItem relation=(NamedRelation name=y))) (SelectQuery items=[(ExprItem expression=a)] from=(FromItem relation=(NamedRelation name=z)))]))"`);
    expect(statement('stream s as (select a from x union all select a from y) union all dedupe z by a keep first;')).toMatchInlineSnapshot(`"(StreamDecl name=s query=(UnionQuery inputs=[(UnionQuery inputs=[(SelectQuery items=[(ExprItem expression=a)] from=(FromItem relation=(NamedRelation name=x))) (SelectQuery items=[(ExprItem expression=a)] from=(FromItem relation=(NamedRelation name=y)))]) (DedupeQuery relation=z keys=[a] keep=first)]))"`);
    expect(statement('stream s as (select a from x);')).toBe(statement('stream s as select a from x;'));
  });
});

describe('expressions', () => {
  test('binding strengths, loosest first', () => {
    expect(expression('a or b and c')).toBe('(OR a (AND b c))');
    expect(expression('not a and b')).toMatchInlineSnapshot(`"(AND (Unary operator=NOT operand=a) b)"`);
    expect(expression('not a = b')).toMatchInlineSnapshot(`"(Unary operator=NOT operand=(= a b))"`);
    expect(expression('a = b + c')).toBe('(= a (+ b c))');
    expect(expression('a + b * c')).toBe('(+ a (* b c))');
    expect(expression('a - b - c')).toBe('(- (- a b) c)');
    expect(expression('a || b || c')).toBe('(|| (|| a b) c)');
    expect(expression('(a + b) * c')).toBe('(* (+ a b) c)');
    expect(expression('-a * b')).toMatchInlineSnapshot(`"(* (Unary operator=- operand=a) b)"`);
    expect(expression('-a.b[1]')).toMatchInlineSnapshot(`"(Unary operator=- operand=(IndexAccess target=a.b index=1))"`);
  });

  test('long mixed chains: tighter operators first, equal ones from the left', () => {
    expect(expression('a * b + c * d - e')).toBe('(- (+ (* a b) (* c d)) e)');
    expect(expression('a + b * c * d + e')).toBe('(+ (+ a (* (* b c) d)) e)');
    expect(expression('a / b % c * d')).toBe('(* (% (/ a b) c) d)');
    expect(expression('a || b * c + d')).toBe('(+ (|| a (* b c)) d)');
    expect(expression('a and b or c and d or e')).toBe('(OR (OR (AND a b) (AND c d)) e)');
    expect(expression('a or b and c and d or e')).toBe('(OR (OR a (AND (AND b c) d)) e)');
    expect(expression('a = b + c * d and e < f or g')).toBe('(OR (AND (= a (+ b (* c d))) (< e f)) g)');
  });

  test('comparisons do not associate', () => {
    expect(codes('stream s as select a = b = c from t;')).toEqual(['syntax-error']);
    expect(expression('(a = b) = c')).toBe('(= (= a b) c)');
  });

  test('every comparison operator; != is <>', () => {
    for (const op of ['=', '<>', '<', '<=', '>', '>=']) expect(expression(`a ${op} b`)).toBe(`(${op} a b)`);
    expect(expression('a != b')).toBe('(<> a b)');
  });

  test('is null, in, between, like, and their negations', () => {
    expect(expression('a is null')).toMatchInlineSnapshot(`"(IsNull operand=a)"`);
    expect(expression('a is not null')).toMatchInlineSnapshot(`"(IsNull operand=a negated)"`);
    expect(expression("status in ('MISSED', 'LATE')")).toMatchInlineSnapshot(`"(InList operand=status list=['MISSED' 'LATE'])"`);
    expect(expression('a not in (1)')).toMatchInlineSnapshot(`"(InList operand=a list=[1] negated)"`);
    expect(expression('amount not between 0 and 100 + x')).toMatchInlineSnapshot(`"(Between operand=amount low=0 high=(+ 100 x) negated)"`);
    expect(expression("email like '%@lendwell.com'")).toMatchInlineSnapshot(`"(Like operand=email pattern='%@lendwell.com')"`);
    expect(expression("email not like 'x%'")).toMatchInlineSnapshot(`"(Like operand=email pattern='x%' negated)"`);
  });

  test('unary minus folds into a number literal once', () => {
    expect(expression('-5')).toBe('-5');
    expect(expression('-(5)')).toBe('-5');
    // `- -5` must not become the text `--5`, which reads as a comment.
    expect(expression('- -5')).toMatchInlineSnapshot(`"(Unary operator=- operand=-5)"`);
    expect(expression('+5')).toMatchInlineSnapshot(`"(Unary operator=+ operand=5)"`);
  });

  test('row fields, array and map elements, qualified columns', () => {
    expect(expression('address.city')).toMatchInlineSnapshot(`"address.city"`);
    expect(expression('c.address.city')).toMatchInlineSnapshot(`"(FieldAccess target=c.address field=city)"`);
    expect(expression("tags[1]['x']")).toMatchInlineSnapshot(`"(IndexAccess target=(IndexAccess target=tags index=1) index='x')"`);
    expect(expression('f(x).y')).toMatchInlineSnapshot(`"(FieldAccess target=(Call name=f args=[x]) field=y)"`);
  });

  test('CASE, searched and simple', () => {
    expect(expression("case when amount > 1000 then 'large' when amount > 100 then 'medium' else 'small' end")).toMatchInlineSnapshot(`"(CaseExpr whens=[(when=(> amount 1000) then='large') (when=(> amount 100) then='medium')] else='small')"`);
    expect(expression("case status when 'PAID' then 1 end")).toMatchInlineSnapshot(`"(CaseExpr operand=status whens=[(when='PAID' then=1)])"`);
  });

  test('CAST and TRY_CAST with parameterized and nested types', () => {
    expect(expression('cast(amount as decimal(12, 2))')).toMatchInlineSnapshot(`"(CastExpr expression=amount type=(TypeRef name=DECIMAL params=[12 2]))"`);
    expect(expression('try_cast(reference as bigint not null)')).toMatchInlineSnapshot(`"(CastExpr expression=reference type=(TypeRef name=BIGINT notNull) safe)"`);
    expect(expression('cast(x as array<row<a int, b map<string, timestamp(3)>>>)')).toMatchInlineSnapshot(`"(CastExpr expression=x type=(TypeRef name=ARRAY elements=[(TypeRef name=ROW elements=[(TypeRef name=INT) (TypeRef name=MAP elements=[(TypeRef name=STRING) (TypeRef name=TIMESTAMP params=[3])])] fieldNames=[a b])]))"`);
    expect(expression('cast(x as multiset<string>)')).toMatchInlineSnapshot(`"(CastExpr expression=x type=(TypeRef name=MULTISET elements=[(TypeRef name=STRING)]))"`);
  });

  test('function calls: arguments, count(*), distinct, none', () => {
    expect(expression('coalesce(nickname, first_name)')).toMatchInlineSnapshot(`"(Call name=coalesce args=[nickname first_name])"`);
    expect(expression('count(*)')).toMatchInlineSnapshot(`"(Call name=count star)"`);
    expect(expression('count(distinct customer_id)')).toMatchInlineSnapshot(`"(Call name=count args=[customer_id] distinct)"`);
    expect(expression('now()')).toMatchInlineSnapshot(`"(Call name=now)"`);
  });
});

describe('sinks', () => {
  test('a Kafka sink with every clause', () => {
    const text = `sink totals into kafka topic 'payments.totals' format avro key (customer_id) partitions 6 replication 3
      retention 7 d subject 'payments.totals-value' key subject 'payments.totals-key' key format json delivery exactly_once
      with ('linger.ms' = '5');`;
    expect(statement(text)).toMatchInlineSnapshot(`"(SinkDecl name=totals endpoint=(Endpoint system=kafka objectKind=topic object='payments.totals') clauses=[(FormatClause part=value format=avro) (KeyColumnsClause columns=[customer_id]) (PartitionsClause count=6) (ReplicationClause factor=3) (RetentionClause duration=7d) (SubjectClause part=value subject='payments.totals-value') (SubjectClause part=key subject='payments.totals-key') (FormatClause part=key format=json) (DeliveryClause guarantee=exactly_once) (OptionsClause options=[(Setting key='linger.ms' value='5')])])"`);
  });

  test('an upsert Kafka sink', () => {
    expect(statement("sink balance into kafka topic 'loans.balance' format avro upsert key (loan_id);")).toMatchInlineSnapshot(`"(SinkDecl name=balance endpoint=(Endpoint system=kafka objectKind=topic object='loans.balance') clauses=[(FormatClause part=value format=avro) (KeyColumnsClause upsert columns=[loan_id])])"`);
  });

  test('Kafka Connect sinks: postgres, s3, elasticsearch, generic connector with a secret', () => {
    expect(statement("sink missed into postgres table 'collections.missed' via connection warehouse upsert key (payment_id);")).toMatchInlineSnapshot(`"(SinkDecl name=missed endpoint=(Endpoint system=postgres objectKind=table object='collections.missed') clauses=[(ViaClause connection=warehouse) (KeyColumnsClause upsert columns=[payment_id])])"`);
    expect(statement("sink payments into s3 path 'archive/payments' via connection lake format json;")).toMatchInlineSnapshot(`"(SinkDecl name=payments endpoint=(Endpoint system=s3 objectKind=path object='archive/payments') clauses=[(ViaClause connection=lake) (FormatClause part=value format=json)])"`);
    expect(statement("sink volume into elasticsearch index 'merchant-volume' via connection search upsert key (merchant_id);")).toMatchInlineSnapshot(`"(SinkDecl name=volume endpoint=(Endpoint system=elasticsearch objectKind=index object='merchant-volume') clauses=[(ViaClause connection=search) (KeyColumnsClause upsert columns=[merchant_id])])"`);
    expect(statement("sink audit into connector 'com.acme.Sink' via connection c with ('k' = 'v', 'token' = secret('audit-token'));")).toMatchInlineSnapshot(`"(SinkDecl name=audit endpoint=(Endpoint system=connector object='com.acme.Sink') clauses=[(ViaClause connection=c) (OptionsClause options=[(Setting key='k' value='v') (Setting key='token' value=(SecretRef name='audit-token'))])])"`);
  });
});

describe('docs/language.md', () => {
  const markdown = readFileSync(new URL('../../../docs/language.md', import.meta.url), 'utf8');
  const blocks = [...markdown.matchAll(/```pipe\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

  test('has pipe examples', () => {
    expect(blocks.length).toBeGreaterThan(20);
  });

  test.each(blocks.map((text, i) => [i + 1, text] as const))('example %i parses without diagnostics', (_i, text) => {
    expect(parse({ path: 'docs.pipe', text }).diagnostics).toEqual([]);
  });
});
