/**
 * The Flink SQL printer: quoting, escaping, precedence and layout. The snapshots were read line by line;
 * what Flink's parser does with each form was checked on Flink 1.20 and 2.2 (see print.ts).
 */
import { describe, expect, it } from 'vitest';
import { printExecutable, printExpr, printQuery, printScript, quoteIdentifier, quoteString } from '../../../../targets/flink-sql/print.ts';
import type { CreateTable, FromItem, SqlExpr, SqlStatement } from '../../../../targets/flink-sql/sql-ast.ts';
import { NULL, bin, bool, call, col, field, insert, interval, isNull, item, neg, not, num, select, str, table } from './print-builders.ts';

const LONG = 'x'.repeat(200);

describe('quoteIdentifier', () => {
  it('back-quotes every name, doubles inner back-quotes and keeps case and characters', () => {
    const names = ['select', 'from', 'table', 'timestamp', 'Mixed_Case', 'a`b', '``', "it's", 'say "hi"', 'with space', ' leading and trailing ', '\u00a0', 'semi;colon', '--not a comment', '/*no*/', 'a.b', '${NAME}', 'back\\slash', 'Zahlungsbetrag_€', '顧客', 'emoji 🚀'];
    expect(names.map(quoteIdentifier)).toMatchInlineSnapshot(`
      [
        "\`select\`",
        "\`from\`",
        "\`table\`",
        "\`timestamp\`",
        "\`Mixed_Case\`",
        "\`a\`\`b\`",
        "\`\`\`\`\`\`",
        "\`it's\`",
        "\`say "hi"\`",
        "\`with space\`",
        "\` leading and trailing \`",
        "\` \`",
        "\`semi;colon\`",
        "\`--not a comment\`",
        "\`/*no*/\`",
        "\`a.b\`",
        "\`\${NAME}\`",
        "\`back\\slash\`",
        "\`Zahlungsbetrag_€\`",
        "\`顧客\`",
        "\`emoji 🚀\`",
      ]
    `);
  });

  it('takes a 200-character name and the 256 characters Flink allows', () => {
    expect(quoteIdentifier(LONG)).toBe('`' + LONG + '`');
    expect(quoteIdentifier('y'.repeat(256))).toHaveLength(258);
  });

  it('rejects what Flink cannot read: empty, whitespace only, too long, line breaks, lone surrogates', () => {
    expect(() => quoteIdentifier('')).toThrow(/empty identifier/);
    expect(() => quoteIdentifier(' ')).toThrow(/only whitespace/);
    expect(() => quoteIdentifier('\u3000 \u2003')).toThrow(/only whitespace/);
    expect(() => quoteIdentifier('y'.repeat(257))).toThrow(/at most 256/);
    expect(() => quoteIdentifier('🚀'.repeat(129))).toThrow(/at most 256/);
    expect(() => quoteIdentifier('a\nb')).toThrow(/line break/);
    expect(() => quoteIdentifier('a\rb')).toThrow(/line break/);
    expect(() => quoteIdentifier('a\u2028b')).toThrow(/line break/);
    expect(() => quoteIdentifier('a\ud800b')).toThrow(/lone surrogate/);
    expect(() => quoteIdentifier('tab\there')).toThrow(/control character/);
  });
});

describe('quoteString', () => {
  it('single-quotes with doubled quotes and passes everything printable through untouched', () => {
    const values = ['', 'plain', "it's", "''", 'back\\slash\\n', '-- not a comment', '/* nor this */', '${KAFKA_BOOTSTRAP_SERVERS}', '${a}${b}', 'semi;colon', '`tick`', '"double"', 'Zahlungsbetrag_€', '顧客', '🚀', 'END;'];
    expect(values.map(quoteString)).toMatchInlineSnapshot(`
      [
        "''",
        "'plain'",
        "'it''s'",
        "''''''",
        "'back\\slash\\n'",
        "'-- not a comment'",
        "'/* nor this */'",
        "'\${KAFKA_BOOTSTRAP_SERVERS}'",
        "'\${a}\${b}'",
        "'semi;colon'",
        "'\`tick\`'",
        "'"double"'",
        "'Zahlungsbetrag_€'",
        "'顧客'",
        "'🚀'",
        "'END;'",
      ]
    `);
  });

  it('writes control characters, separators and bidi controls as U& escapes, valid on Flink 1.20 and 2.2', () => {
    const values = ['line1\nline2', 'cr\r\nlf', 'tab\there', 'nul\u0000', "it's\n", 'back\\slash\n', '\u2028', 'rtl\u202eoverride', '\ufeffbom', 'lone\ud800', '🚀\n'];
    expect(values.map(quoteString)).toMatchInlineSnapshot(`
      [
        "U&'line1\\000Aline2'",
        "U&'cr\\000D\\000Alf'",
        "U&'tab\\0009here'",
        "U&'nul\\0000'",
        "U&'it''s\\000A'",
        "U&'back\\\\slash\\000A'",
        "U&'\\2028'",
        "U&'rtl\\202Eoverride'",
        "U&'\\FEFFbom'",
        "U&'lone\\D800'",
        "U&'🚀\\000A'",
      ]
    `);
  });

  it('never prints a raw line break', () => {
    for (let c = 0; c < 0x3000; c++) expect(quoteString(`a${String.fromCharCode(c)}b`)).not.toMatch(/[\n\r\u2028\u2029]/);
  });
});

describe('printExpr: each kind', () => {
  const cases: [string, SqlExpr, string][] = [
    ['column', col('amount'), '`amount`'],
    ['qualified column', col('amount', 'p'), '`p`.`amount`'],
    ['field of a column', field(col('payload'), 'id'), '`payload`.`id`'],
    ['field of a field', field(field(col('payload', 'p'), 'customer'), 'id'), '`p`.`payload`.`customer`.`id`'],
    ['field of a call', field(call('f', col('x')), 'y'), 'f(`x`).`y`'],
    ['field of a CASE', field({ kind: 'case', operand: undefined, whens: [{ when: col('a'), then: col('r') }], else: undefined }, 'y'), '(CASE WHEN `a` THEN `r` END).`y`'],
    ['index', { kind: 'index', target: col('tags'), index: num('1') }, '`tags`[1]'],
    ['index of a sum', { kind: 'index', target: bin('+', col('a'), col('b')), index: num('1') }, '(`a` + `b`)[1]'],
    ['string', str("it's"), "'it''s'"],
    ['number', num('12.50'), '12.50'],
    ['negative number', num('-3'), '-3'],
    ['exponent', num('1e3'), '1e3'],
    ['true', bool(true), 'TRUE'],
    ['false', bool(false), 'FALSE'],
    ['null', NULL, 'NULL'],
    ['interval', interval('5', 'minute'), "INTERVAL '5' MINUTE"],
    ['interval range', interval('1 12', 'DAY', 'HOUR'), "INTERVAL '1 12' DAY TO HOUR"],
    ['interval with precision', interval('1.500', 'SECOND(3)'), "INTERVAL '1.500' SECOND(3)"],
    ['timestamp literal', { kind: 'typed-literal', type: 'TIMESTAMP', value: '2026-01-01 00:00:00' }, "TIMESTAMP '2026-01-01 00:00:00'"],
    ['date literal', { kind: 'typed-literal', type: 'date', value: '2026-01-01' }, "DATE '2026-01-01'"],
    ['time literal', { kind: 'typed-literal', type: 'TIME', value: '12:00:00' }, "TIME '12:00:00'"],
    ['call', call('COALESCE', col('a'), str('')), "COALESCE(`a`, '')"],
    ['call without arguments', call('PROCTIME'), 'PROCTIME()'],
    ['COUNT(*)', { kind: 'call', name: 'COUNT', args: [], distinct: false, star: true }, 'COUNT(*)'],
    ['COUNT(DISTINCT)', { kind: 'call', name: 'COUNT', args: [col('a')], distinct: true, star: false }, 'COUNT(DISTINCT `a`)'],
    ['keyword', { kind: 'keyword', word: 'CURRENT_TIMESTAMP' }, 'CURRENT_TIMESTAMP'],
    ['time unit argument', call('TIMESTAMPDIFF', { kind: 'keyword', word: 'day' }, col('a'), col('b')), 'TIMESTAMPDIFF(DAY, `a`, `b`)'],
    [
      'ROW_NUMBER() OVER',
      { kind: 'over', call: call('ROW_NUMBER'), partitionBy: [col('id'), col('k')], orderBy: [{ expression: col('event_time'), descending: true }, { expression: col('seq'), descending: false }] },
      'ROW_NUMBER() OVER (PARTITION BY `id`, `k` ORDER BY `event_time` DESC, `seq`)',
    ],
    ['OVER ()', { kind: 'over', call: call('ROW_NUMBER'), partitionBy: [], orderBy: [] }, 'ROW_NUMBER() OVER ()'],
    ['binary', bin('+', col('a'), num('1')), '`a` + 1'],
    ['concatenation', bin('||', col('a'), str('-')), "`a` || '-'"],
    ['NOT', not(col('flag')), 'NOT `flag`'],
    ['unary minus', neg(col('a')), '-`a`'],
    ['unary plus', { kind: 'unary', operator: '+', operand: col('a') }, '+`a`'],
    ['IS NULL', isNull(col('a')), '`a` IS NULL'],
    ['IS NOT NULL', isNull(col('a'), true), '`a` IS NOT NULL'],
    ['IN', { kind: 'in', operand: col('a'), list: [num('1'), num('2')], negated: false }, '`a` IN (1, 2)'],
    ['NOT IN', { kind: 'in', operand: col('a'), list: [str('x')], negated: true }, "`a` NOT IN ('x')"],
    ['BETWEEN', { kind: 'between', operand: col('a'), low: num('1'), high: num('2'), negated: false }, '`a` BETWEEN 1 AND 2'],
    ['NOT BETWEEN', { kind: 'between', operand: col('a'), low: num('1'), high: num('2'), negated: true }, '`a` NOT BETWEEN 1 AND 2'],
    ['LIKE', { kind: 'like', operand: col('a'), pattern: str('x%'), negated: false }, "`a` LIKE 'x%'"],
    ['NOT LIKE', { kind: 'like', operand: col('a'), pattern: str('x%'), negated: true }, "`a` NOT LIKE 'x%'"],
    [
      'searched CASE',
      { kind: 'case', operand: undefined, whens: [{ when: bin('>', col('a'), num('0')), then: str('pos') }], else: str('neg') },
      "CASE WHEN `a` > 0 THEN 'pos' ELSE 'neg' END",
    ],
    ['simple CASE', { kind: 'case', operand: col('s'), whens: [{ when: num('1'), then: str('one') }, { when: num('2'), then: str('two') }], else: undefined }, "CASE `s` WHEN 1 THEN 'one' WHEN 2 THEN 'two' END"],
    ['CAST', { kind: 'cast', operand: col('a'), type: 'DECIMAL(12, 2)', safe: false }, 'CAST(`a` AS DECIMAL(12, 2))'],
    ['TRY_CAST', { kind: 'cast', operand: col('a'), type: 'INT', safe: true }, 'TRY_CAST(`a` AS INT)'],
    ['CAST to a ROW', { kind: 'cast', operand: col('a'), type: 'ROW<`a``b` INT>', safe: false }, 'CAST(`a` AS ROW<`a``b` INT>)'],
    ['DESCRIPTOR', { kind: 'descriptor', column: 'event_time' }, 'DESCRIPTOR(`event_time`)'],
  ];
  it.each(cases)('%s', (_name, e, want) => expect(printExpr(e)).toBe(want));

  it('breaks a long CASE over lines', () => {
    const e: SqlExpr = {
      kind: 'case',
      operand: undefined,
      whens: [
        { when: bin('>=', col('amount_in_cents'), num('1000000')), then: str('a very large payment') },
        { when: bin('>=', col('amount_in_cents'), num('10000')), then: str('a large payment') },
      ],
      else: str('a payment'),
    };
    expect(printExpr(e)).toMatchInlineSnapshot(`
      "CASE
        WHEN \`amount_in_cents\` >= 1000000 THEN 'a very large payment'
        WHEN \`amount_in_cents\` >= 10000 THEN 'a large payment'
        ELSE 'a payment'
      END"
    `);
  });
});

describe('printExpr: precedence (Calcite SqlStdOperatorTable)', () => {
  const [a, b, c, d] = [col('a'), col('b'), col('c'), col('d')];
  const cases: [string, SqlExpr, string][] = [
    // left-associative chains print bare; the other grouping needs parentheses
    ['a - b - c', bin('-', bin('-', a, b), c), '`a` - `b` - `c`'],
    ['a - (b - c)', bin('-', a, bin('-', b, c)), '`a` - (`b` - `c`)'],
    ['a + (b + c) keeps the tree', bin('+', a, bin('+', b, c)), '`a` + (`b` + `c`)'],
    ['a / (b * c)', bin('/', a, bin('*', b, c)), '`a` / (`b` * `c`)'],
    ['a * b / c', bin('/', bin('*', a, b), c), '`a` * `b` / `c`'],
    ['a + b * c', bin('+', a, bin('*', b, c)), '`a` + `b` * `c`'],
    ['(a + b) * c', bin('*', bin('+', a, b), c), '(`a` + `b`) * `c`'],
    // || binds like * (60) in Calcite, tighter than +; always spelled out next to arithmetic
    ['(a || b) + c', bin('+', bin('||', a, b), c), '(`a` || `b`) + `c`'],
    ['a || (b + c)', bin('||', a, bin('+', b, c)), '`a` || (`b` + `c`)'],
    ['a || (b * c)', bin('||', a, bin('*', b, c)), '`a` || (`b` * `c`)'],
    ['a || b || c', bin('||', bin('||', a, b), c), '`a` || `b` || `c`'],
    ['a || (b || c)', bin('||', a, bin('||', b, c)), '`a` || (`b` || `c`)'],
    // signs never touch another operator
    ['x - -1', bin('-', a, num('-1')), '`a` - (-1)'],
    ['x * -y', bin('*', a, neg(b)), '`a` * (-`b`)'],
    ['-1 * x', bin('*', num('-1'), a), '-1 * `a`'],
    ['- -x', neg(neg(a)), '-(-`a`)'],
    ['- -1', neg(num('-1')), '-(-1)'],
    ['-(a + b)', neg(bin('+', a, b)), '-(`a` + `b`)'],
    ['-a.b', neg(field(a, 'b')), '-`a`.`b`'],
    ['x = -1', bin('=', a, num('-1')), '`a` = -1'],
    // boolean operators
    ['a OR b AND c', bin('OR', a, bin('AND', b, c)), '`a` OR `b` AND `c`'],
    ['(a OR b) AND c', bin('AND', bin('OR', a, b), c), '(`a` OR `b`) AND `c`'],
    ['a AND (b AND c)', bin('AND', a, bin('AND', b, c)), '`a` AND (`b` AND `c`)'],
    ['NOT a AND b', bin('AND', not(a), b), 'NOT `a` AND `b`'],
    ['a AND NOT b', bin('AND', a, not(b)), '`a` AND NOT `b`'],
    ['NOT (a AND b)', not(bin('AND', a, b)), 'NOT (`a` AND `b`)'],
    ['NOT (a = b)', not(bin('=', a, b)), 'NOT (`a` = `b`)'],
    ['NOT (NOT a)', not(not(a)), 'NOT (NOT `a`)'],
    ['NOT f(a)', not(call('f', a)), 'NOT f(`a`)'],
    // comparisons and predicates
    ['a = b AND c < d', bin('AND', bin('=', a, b), bin('<', c, d)), '`a` = `b` AND `c` < `d`'],
    ['a + 1 = b * 2', bin('=', bin('+', a, num('1')), bin('*', b, num('2'))), '`a` + 1 = `b` * 2'],
    ['(a = b) = c', bin('=', bin('=', a, b), c), '(`a` = `b`) = `c`'],
    ['a = (b = c)', bin('=', a, bin('=', b, c)), '`a` = (`b` = `c`)'],
    ['a = (NOT b)', bin('=', a, not(b)), '`a` = (NOT `b`)'],
    ['(a = b) IS NULL', isNull(bin('=', a, b)), '(`a` = `b`) IS NULL'],
    ['(a IS NULL) = b', bin('=', isNull(a), b), '(`a` IS NULL) = `b`'],
    ['a < (b IN (1))', bin('<', a, { kind: 'in', operand: b, list: [num('1')], negated: false }), '`a` < (`b` IN (1))'],
    ['(a AND b) IS NOT NULL', isNull(bin('AND', a, b), true), '(`a` AND `b`) IS NOT NULL'],
    ['a + b IS NULL', isNull(bin('+', a, b)), '`a` + `b` IS NULL'],
    ['a || b LIKE c', { kind: 'like', operand: bin('||', a, b), pattern: c, negated: false }, '`a` || `b` LIKE `c`'],
    ['a LIKE b || c', { kind: 'like', operand: a, pattern: bin('||', b, c), negated: false }, '`a` LIKE `b` || `c`'],
    ['BETWEEN with sums', { kind: 'between', operand: a, low: bin('-', b, num('1')), high: bin('+', c, num('1')), negated: false }, '`a` BETWEEN `b` - 1 AND `c` + 1'],
    ['BETWEEN with boolean bounds', { kind: 'between', operand: a, low: bin('AND', b, c), high: bin('OR', c, d), negated: false }, '`a` BETWEEN (`b` AND `c`) AND (`c` OR `d`)'],
    ['BETWEEN inside AND', bin('AND', { kind: 'between', operand: a, low: b, high: c, negated: false }, d), '`a` BETWEEN `b` AND `c` AND `d`'],
    ['IN of a comparison', { kind: 'in', operand: bin('=', a, b), list: [bool(true), bin('=', c, d)], negated: false }, '(`a` = `b`) IN (TRUE, `c` = `d`)'],
    // self-delimiting forms need nothing
    ['CASE in arithmetic', bin('*', { kind: 'case', operand: undefined, whens: [{ when: bin('OR', a, b), then: num('1') }], else: num('0') }, c), 'CASE WHEN `a` OR `b` THEN 1 ELSE 0 END * `c`'],
    ['CAST in arithmetic', bin('-', a, { kind: 'cast', operand: bin('-', b, c), type: 'INT', safe: false }), '`a` - CAST(`b` - `c` AS INT)'],
    ['call arguments are top level', call('f', bin('OR', a, b), bin('-', c, d)), 'f(`a` OR `b`, `c` - `d`)'],
    ['watermark', bin('-', col('event_time'), interval('5', 'SECOND')), "`event_time` - INTERVAL '5' SECOND"],
  ];
  it.each(cases)('%s', (_name, e, want) => expect(printExpr(e)).toBe(want));
});

describe('printExpr rejects malformed trees (lowering bugs)', () => {
  it.each<[string, SqlExpr, RegExp]>([
    ['a number that is not one', num('1; DROP TABLE x'), /malformed number/],
    ['a function name that is not a word', call('f(x)'), /malformed function name/],
    ['TIMESTAMP_LTZ literal, which neither Flink line parses', { kind: 'typed-literal', type: 'TIMESTAMP_LTZ', value: '2026-01-01 00:00:00' }, /no typed literal of type "TIMESTAMP_LTZ"/],
    ['a 2.x-only typed literal', { kind: 'typed-literal', type: 'TIMESTAMP WITH LOCAL TIME ZONE', value: '2026-01-01 00:00:00' }, /CAST\('…' AS TIMESTAMP_LTZ\(p\)\)/],
    ['an interval unit that is not a word', interval('5', "SECOND'"), /malformed interval unit/],
    ['an interval value with a line break', interval('5\n', 'SECOND'), /only a plain/],
    ['an empty IN list', { kind: 'in', operand: col('a'), list: [], negated: false }, /IN with an empty list/],
    ['COUNT(*) with arguments', { kind: 'call', name: 'COUNT', args: [col('a')], distinct: false, star: true }, /with arguments/],
    ['a type with a line break', { kind: 'cast', operand: col('a'), type: 'INT\n', safe: false }, /malformed SQL type/],
  ])('%s', (_name, e, message) => expect(() => printExpr(e)).toThrow(message));
});

// ── statements ──────────────────────────────────────────────────────────────────────────────────

const paymentsTable: CreateTable = {
  kind: 'create-table',
  temporary: true,
  name: 'payments',
  columns: [
    { kind: 'physical', name: 'payment_id', type: 'STRING NOT NULL' },
    { kind: 'physical', name: 'customer_id', type: 'STRING' },
    { kind: 'physical', name: 'amount', type: 'DECIMAL(12, 2)' },
    { kind: 'physical', name: 'tags', type: 'ARRAY<STRING>' },
    { kind: 'metadata', name: 'event_time', type: 'TIMESTAMP_LTZ(3)', key: 'timestamp', virtual: false },
    { kind: 'metadata', name: 'partition', type: 'INT', key: 'partition', virtual: true },
    { kind: 'computed', name: 'amount_cents', expression: bin('*', col('amount'), num('100')) },
  ],
  watermark: { column: 'event_time', expression: bin('-', col('event_time'), interval('5', 'SECOND')) },
  primaryKey: ['payment_id', 'customer_id'],
  options: {
    'value.format': 'avro-confluent',
    connector: 'upsert-kafka',
    topic: 'payments',
    'properties.bootstrap.servers': '${KAFKA_BOOTSTRAP_SERVERS}',
    'key.format': 'raw',
    'value.avro-confluent.url': '${SCHEMA_REGISTRY_URL}',
    'value.avro-confluent.schema': '{"type":"record","name":"Payment","namespace":"com.example","fields":[{"name":"it\'s","type":"string"}]}',
  },
};

const tumble: FromItem = {
  kind: 'window-tvf',
  function: 'TUMBLE',
  input: table('payments'),
  partitionBy: [],
  timeColumn: 'event_time',
  args: [interval('1', 'MINUTE')],
  alias: undefined,
};

const perMinute = select(
  tumble,
  [item(col('window_start')), item(col('window_end')), item(col('customer_id')), item(call('SUM', col('amount')), 'total'), item({ kind: 'call', name: 'COUNT', args: [], distinct: false, star: true }, 'payments')],
  { groupBy: [col('window_start'), col('window_end'), col('customer_id')], having: bin('>', call('SUM', col('amount')), num('0')) },
);

describe('printScript', () => {
  it('prints a whole job: comment, SET block, tables, a view and one statement set', () => {
    const script: SqlStatement[] = [
      { kind: 'comment', lines: ['pipeline payments_per_minute (payments.pipe)', 'Generated by pipec. Do not edit.'] },
      { kind: 'set', key: 'pipeline.name', value: 'payments_per_minute' },
      { kind: 'set', key: 'table.exec.state.ttl', value: '1 h' },
      paymentsTable,
      {
        kind: 'create-table',
        temporary: false,
        name: 'per_minute',
        columns: [
          { kind: 'physical', name: 'window_start', type: 'TIMESTAMP(3) NOT NULL' },
          { kind: 'physical', name: 'total', type: 'DECIMAL(38, 2)' },
        ],
        watermark: undefined,
        primaryKey: [],
        options: { connector: 'kafka', topic: 'per_minute', 'value.format': 'json' },
      },
      { kind: 'create-view', temporary: true, name: 'big_payments', query: select(table('payments'), [{ kind: 'star', qualifier: undefined }], { where: bin('>', col('amount'), num('1000')) }) },
      {
        kind: 'statement-set',
        inserts: [
          insert('per_minute', perMinute),
          insert('big', select(table('big_payments'), [item(col('payment_id')), item(col('amount'))]), ['payment_id', 'amount']),
        ],
      },
    ];
    expect(printScript(script)).toMatchInlineSnapshot(`
      "-- pipeline payments_per_minute (payments.pipe)
      -- Generated by pipec. Do not edit.
      SET 'pipeline.name' = 'payments_per_minute';
      SET 'table.exec.state.ttl' = '1 h';

      CREATE TEMPORARY TABLE \`payments\` (
        \`payment_id\` STRING NOT NULL,
        \`customer_id\` STRING,
        \`amount\` DECIMAL(12, 2),
        \`tags\` ARRAY<STRING>,
        \`event_time\` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
        \`partition\` INT METADATA FROM 'partition' VIRTUAL,
        \`amount_cents\` AS \`amount\` * 100,
        WATERMARK FOR \`event_time\` AS \`event_time\` - INTERVAL '5' SECOND,
        PRIMARY KEY (\`payment_id\`, \`customer_id\`) NOT ENFORCED
      ) WITH (
        'connector' = 'upsert-kafka',
        'key.format' = 'raw',
        'properties.bootstrap.servers' = '\${KAFKA_BOOTSTRAP_SERVERS}',
        'topic' = 'payments',
        'value.avro-confluent.schema' = '{"type":"record","name":"Payment","namespace":"com.example","fields":[{"name":"it''s","type":"string"}]}',
        'value.avro-confluent.url' = '\${SCHEMA_REGISTRY_URL}',
        'value.format' = 'avro-confluent'
      );

      CREATE TABLE \`per_minute\` (
        \`window_start\` TIMESTAMP(3) NOT NULL,
        \`total\` DECIMAL(38, 2)
      ) WITH (
        'connector' = 'kafka',
        'topic' = 'per_minute',
        'value.format' = 'json'
      );

      CREATE TEMPORARY VIEW \`big_payments\` AS
        SELECT *
        FROM \`payments\`
        WHERE \`amount\` > 1000;

      EXECUTE STATEMENT SET
      BEGIN
        INSERT INTO \`per_minute\`
        SELECT
          \`window_start\`,
          \`window_end\`,
          \`customer_id\`,
          SUM(\`amount\`) AS \`total\`,
          COUNT(*) AS \`payments\`
        FROM TABLE(TUMBLE(TABLE \`payments\`, DESCRIPTOR(\`event_time\`), INTERVAL '1' MINUTE))
        GROUP BY \`window_start\`, \`window_end\`, \`customer_id\`
        HAVING SUM(\`amount\`) > 0;

        INSERT INTO \`big\` (\`payment_id\`, \`amount\`)
        SELECT \`payment_id\`, \`amount\`
        FROM \`big_payments\`;
      END;
      "
    `);
  });

  it('prints COMPILE PLAN with IF NOT EXISTS after the path', () => {
    const plan: SqlStatement = { kind: 'compile-plan', path: '/plans/payments.json', ifNotExists: true, inserts: [insert('big', select(table('payments'), [{ kind: 'star', qualifier: undefined }]))] };
    expect(printScript([plan])).toMatchInlineSnapshot(`
      "COMPILE PLAN '/plans/payments.json' IF NOT EXISTS FOR STATEMENT SET
      BEGIN
        INSERT INTO \`big\`
        SELECT *
        FROM \`payments\`;
      END;
      "
    `);
    expect(printScript([{ ...plan, ifNotExists: false }])).toContain("COMPILE PLAN '/plans/payments.json' FOR STATEMENT SET\nBEGIN\n");
  });

  it('prints a statement on its own for the SQL Gateway: the same text without the final semicolon', () => {
    const set: SqlStatement = { kind: 'set', key: 'execution.state-recovery.path', value: "file:///savepoints/it's" };
    expect(printExecutable(set)).toBe("SET 'execution.state-recovery.path' = 'file:///savepoints/it''s'");
    expect(printExecutable({ kind: 'execute-plan', path: "file:///plans/p's.json" })).toBe("EXECUTE PLAN 'file:///plans/p''s.json'");
    expect(printScript([{ kind: 'execute-plan', path: '/plans/p.json' }])).toBe("EXECUTE PLAN '/plans/p.json';\n");
    const plan: SqlStatement = { kind: 'compile-plan', path: '/plans/payments.json', ifNotExists: false, inserts: [insert('big', select(table('payments'), [{ kind: 'star', qualifier: undefined }]))] };
    expect(`${printExecutable(plan)};\n`).toBe(printScript([plan]));
    expect(printExecutable(plan).endsWith('END')).toBe(true);
    expect(() => printExecutable({ kind: 'execute-plan', path: '/plans/\n.json' })).toThrow(/plan path/);
  });

  it('separates statements by blank lines and ends with one newline', () => {
    const sets: SqlStatement[] = [
      { kind: 'set', key: 'a', value: '1' },
      { kind: 'comment', lines: ['two comments'] },
      { kind: 'comment', lines: ['stay apart'] },
      { kind: 'set', key: 'b', value: "it's" },
    ];
    expect(printScript(sets)).toBe("SET 'a' = '1';\n\n-- two comments\n\n-- stay apart\nSET 'b' = 'it''s';\n");
    expect(printScript([])).toBe('');
  });

  it('keeps comments on comment lines whatever they hold', () => {
    expect(printScript([{ kind: 'comment', lines: ['multi\nline\r\nand\rmore', '', 'trailing   ', 'bell\u0007', '*/ -- /* ;'] }])).toMatchInlineSnapshot(`
      "-- multi
      -- line
      -- and
      -- more
      --
      -- trailing
      -- bell\\u0007
      -- */ -- /* ;
      "
    `);
  });

  it('sorts WITH options by key, in code-unit order', () => {
    const out = printScript([{ ...paymentsTable, options: { b: '2', B: '3', a: '1', 'a.b': '4', Ä: '5' } }]);
    expect(out.slice(out.indexOf('WITH'))).toBe("WITH (\n  'B' = '3',\n  'a' = '1',\n  'a.b' = '4',\n  'b' = '2',\n  'Ä' = '5'\n);\n");
  });

  it('omits WITH when a table has no options', () => {
    expect(printScript([{ ...paymentsTable, options: {}, watermark: undefined, primaryKey: [], columns: [{ kind: 'physical', name: 'a', type: 'INT' }] }])).toBe('CREATE TEMPORARY TABLE `payments` (\n  `a` INT\n);\n');
  });

  it('rejects what cannot be printed as valid SQL', () => {
    expect(() => printScript([{ kind: 'statement-set', inserts: [] }])).toThrow(/without INSERT/);
    expect(() => printScript([{ ...paymentsTable, columns: [] }])).toThrow(/without columns/);
    expect(() => printScript([{ kind: 'set', key: 'pipeline.name', value: 'a\nb' }])).toThrow(/only a plain/);
    expect(() => printScript([{ ...paymentsTable, options: { 'bad\nkey': 'v' } }])).toThrow(/only a plain/);
  });

  it('is deterministic and has no trailing spaces', () => {
    const script: SqlStatement[] = [{ kind: 'comment', lines: ['x  '] }, paymentsTable, { kind: 'statement-set', inserts: [insert('per_minute', perMinute)] }];
    const once = printScript(script);
    expect(printScript(structuredClone(script))).toBe(once);
    expect(once).not.toMatch(/[ \t]$/m);
  });
});

describe('printQuery', () => {
  it('keeps a short select list on one line and puts a long one item per line', () => {
    expect(printQuery(select(table('t'), [item(col('a')), item(col('b'), 'c')]))).toBe('SELECT `a`, `b` AS `c`\nFROM `t`');
    expect(printQuery(select(table('t'), [item(col('a')), item(col('b')), item(col('c')), item(col('d'))]))).toBe('SELECT\n  `a`,\n  `b`,\n  `c`,\n  `d`\nFROM `t`');
    expect(printQuery(select(table('t'), [item(col('a'.repeat(40))), item(col('b'.repeat(40)))]))).toBe(`SELECT\n  \`${'a'.repeat(40)}\`,\n  \`${'b'.repeat(40)}\`\nFROM \`t\``);
    expect(printQuery({ ...select(table('t'), [item(col('a'))]), distinct: true })).toBe('SELECT DISTINCT `a`\nFROM `t`');
    expect(printQuery(select(table('t', 'x'), [{ kind: 'star', qualifier: 'x' }]))).toBe('SELECT `x`.*\nFROM `t` AS `x`');
  });

  it('breaks a long WHERE at its ANDs', () => {
    const cond = bin('AND', bin('AND', bin('>', col('amount_in_cents'), num('1000')), isNull(col('refund_reference'), true)), bin('OR', col('is_test_payment'), col('is_internal')));
    expect(printQuery(select(table('payments'), [item(col('payment_id'))], { where: cond }))).toMatchInlineSnapshot(`
      "SELECT \`payment_id\`
      FROM \`payments\`
      WHERE \`amount_in_cents\` > 1000
        AND \`refund_reference\` IS NOT NULL
        AND (\`is_test_payment\` OR \`is_internal\`)"
    `);
  });

  it('prints window TVFs in the positional form, with SESSION keys', () => {
    const session = (keys: readonly string[]): FromItem => ({ ...tumble, function: 'SESSION', partitionBy: keys, args: [interval('5', 'MINUTE')], alias: 'w' });
    expect(printQuery(select(session(['customer_id']), [{ kind: 'star', qualifier: undefined }]))).toMatchInlineSnapshot(`
      "SELECT *
      FROM TABLE(SESSION(TABLE \`payments\` PARTITION BY \`customer_id\`, DESCRIPTOR(\`event_time\`), INTERVAL '5' MINUTE)) AS \`w\`"
    `);
    expect(printQuery(select(session(['customer_id', 'device']), [{ kind: 'star', qualifier: undefined }]))).toMatchInlineSnapshot(`
      "SELECT *
      FROM TABLE(SESSION(TABLE \`payments\` PARTITION BY (\`customer_id\`, \`device\`), DESCRIPTOR(\`event_time\`), INTERVAL '5' MINUTE)) AS \`w\`"
    `);
    const hop: FromItem = { ...tumble, function: 'HOP', args: [interval('1', 'MINUTE'), interval('1', 'HOUR')] };
    expect(printQuery(select(hop, [{ kind: 'star', qualifier: undefined }]))).toMatchInlineSnapshot(`
      "SELECT *
      FROM TABLE(HOP(TABLE \`payments\`, DESCRIPTOR(\`event_time\`), INTERVAL '1' MINUTE, INTERVAL '1' HOUR))"
    `);
    const overQuery: FromItem = { ...tumble, input: { kind: 'subquery', query: select(table('payments'), [{ kind: 'star', qualifier: undefined }], { where: bin('>', col('amount'), num('0')) }), alias: 'positive' } };
    expect(printQuery(select(overQuery, [{ kind: 'star', qualifier: undefined }]))).toMatchInlineSnapshot(`
      "SELECT *
      FROM TABLE(TUMBLE((
        SELECT *
        FROM \`payments\`
        WHERE \`amount\` > 0
      ), DESCRIPTOR(\`event_time\`), INTERVAL '1' MINUTE))"
    `);
    expect(() => printQuery(select({ ...tumble, partitionBy: ['k'] }, [item(col('a'))]))).toThrow(/TUMBLE takes no PARTITION BY/);
    expect(() => printQuery(select({ ...tumble, input: table('payments', 'p') }, [item(col('a'))]))).toThrow(/has an alias/);
  });

  it('prints joins: temporal, lookup-style LEFT, CROSS JOIN UNNEST', () => {
    const from: FromItem = {
      kind: 'join',
      joinType: 'CROSS',
      left: {
        kind: 'join',
        joinType: 'LEFT',
        left: {
          kind: 'join',
          joinType: 'INNER',
          left: table('payments', 'p'),
          right: table('fx_rates', 'r'),
          asOf: col('event_time', 'p'),
          on: bin('=', col('currency', 'p'), col('currency', 'r')),
        },
        right: table('customers', 'c'),
        asOf: undefined,
        on: bin('AND', bin('=', col('customer_id', 'p'), col('customer_id', 'c')), bin('>=', col('event_time', 'p'), bin('-', col('event_time', 'c'), interval('1', 'HOUR')))),
      },
      right: { kind: 'unnest', expression: col('tags', 'p'), alias: 't', columns: ['tag'] },
      asOf: undefined,
      on: undefined,
    };
    expect(printQuery(select(from, [item(col('payment_id', 'p')), item(bin('*', col('amount', 'p'), col('rate', 'r')), 'amount_eur'), item(col('tag', 't'))]))).toMatchInlineSnapshot(`
      "SELECT \`p\`.\`payment_id\`, \`p\`.\`amount\` * \`r\`.\`rate\` AS \`amount_eur\`, \`t\`.\`tag\`
      FROM \`payments\` AS \`p\`
      JOIN \`fx_rates\` FOR SYSTEM_TIME AS OF \`p\`.\`event_time\` AS \`r\` ON \`p\`.\`currency\` = \`r\`.\`currency\`
      LEFT JOIN \`customers\` AS \`c\`
        ON \`p\`.\`customer_id\` = \`c\`.\`customer_id\`
          AND \`p\`.\`event_time\` >= \`c\`.\`event_time\` - INTERVAL '1' HOUR
      CROSS JOIN UNNEST(\`p\`.\`tags\`) AS \`t\` (\`tag\`)"
    `);
    expect(() => printQuery(select({ kind: 'join', joinType: 'INNER', left: table('a'), right: table('b'), asOf: undefined, on: undefined }, [item(col('x'))]))).toThrow(/JOIN without ON/);
    expect(() => printQuery(select({ kind: 'join', joinType: 'INNER', left: table('a'), right: { kind: 'subquery', query: select(table('b'), [item(col('x'))]), alias: 's' }, asOf: col('ts'), on: bool(true) }, [item(col('x'))]))).toThrow(/FOR SYSTEM_TIME AS OF on a subquery/);
  });

  it('parenthesizes and aliases a subquery in FROM, as deduplication needs', () => {
    const ranked = select(table('payments'), [
      { kind: 'star', qualifier: undefined },
      item({ kind: 'over', call: call('ROW_NUMBER'), partitionBy: [col('payment_id')], orderBy: [{ expression: col('event_time'), descending: true }] }, 'row_num'),
    ]);
    expect(printQuery(select({ kind: 'subquery', query: ranked, alias: 'ranked' }, [item(col('payment_id')), item(col('amount'))], { where: bin('=', col('row_num'), num('1')) }))).toMatchInlineSnapshot(`
      "SELECT \`payment_id\`, \`amount\`
      FROM (
        SELECT
          *,
          ROW_NUMBER() OVER (PARTITION BY \`payment_id\` ORDER BY \`event_time\` DESC) AS \`row_num\`
        FROM \`payments\`
      ) AS \`ranked\`
      WHERE \`row_num\` = 1"
    `);
  });

  it('prints UNION ALL between queries, flattening nested ones', () => {
    const q = (t: string) => select(table(t), [item(col('id'))]);
    expect(printQuery({ kind: 'union-all', inputs: [q('a'), { kind: 'union-all', inputs: [q('b'), q('c')] }] })).toBe('SELECT `id`\nFROM `a`\nUNION ALL\nSELECT `id`\nFROM `b`\nUNION ALL\nSELECT `id`\nFROM `c`');
  });
});

describe('the escaping corpus in one job', () => {
  it('prints adversarial names and strings', () => {
    const names = ['select', 'from', 'table', 'timestamp', 'a`b', "it's", 'with space', ' padded ', 'Zahlungsbetrag_€', '顧客', LONG];
    const strings = ["it's", 'back\\slash', 'two\nlines', '-- dash', '/* star', '${PLACEHOLDER}'];
    const script: SqlStatement[] = [
      {
        kind: 'create-table',
        temporary: false,
        name: 'weird `source`',
        columns: names.map((n) => ({ kind: 'physical', name: n, type: 'STRING' })),
        watermark: undefined,
        primaryKey: ['select', 'a`b'],
        options: { connector: 'kafka', topic: "it's", 'properties.bootstrap.servers': '${KAFKA_BOOTSTRAP_SERVERS}' },
      },
      {
        kind: 'statement-set',
        inserts: [insert('sink `x`', select(table('weird `source`', 'from'), [...names.slice(0, 3).map((n) => item(col(n, 'from'))), ...strings.map((s, i) => item(str(s), `s${i}`))]), ['select', 'from'])],
      },
    ];
    expect(printScript(script)).toMatchInlineSnapshot(`
      "CREATE TABLE \`weird \`\`source\`\`\` (
        \`select\` STRING,
        \`from\` STRING,
        \`table\` STRING,
        \`timestamp\` STRING,
        \`a\`\`b\` STRING,
        \`it's\` STRING,
        \`with space\` STRING,
        \` padded \` STRING,
        \`Zahlungsbetrag_€\` STRING,
        \`顧客\` STRING,
        \`xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\` STRING,
        PRIMARY KEY (\`select\`, \`a\`\`b\`) NOT ENFORCED
      ) WITH (
        'connector' = 'kafka',
        'properties.bootstrap.servers' = '\${KAFKA_BOOTSTRAP_SERVERS}',
        'topic' = 'it''s'
      );

      EXECUTE STATEMENT SET
      BEGIN
        INSERT INTO \`sink \`\`x\`\`\` (\`select\`, \`from\`)
        SELECT
          \`from\`.\`select\`,
          \`from\`.\`from\`,
          \`from\`.\`table\`,
          'it''s' AS \`s0\`,
          'back\\slash' AS \`s1\`,
          U&'two\\000Alines' AS \`s2\`,
          '-- dash' AS \`s3\`,
          '/* star' AS \`s4\`,
          '\${PLACEHOLDER}' AS \`s5\`
        FROM \`weird \`\`source\`\`\` AS \`from\`;
      END;
      "
    `);
  });
});
