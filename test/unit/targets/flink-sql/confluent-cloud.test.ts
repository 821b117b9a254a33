/**
 * The Confluent Cloud form of a job (confluent-cloud.json): what it refuses, the statement properties it
 * derives, and how the ALTER TABLE and WITH syntax it adds is printed. The examples' artifacts are goldens
 * (test/unit/golden/examples/<pipeline>/confluent-cloud.json), and test/integration/flink-planner plans them.
 */
import { describe, expect, test } from 'vitest';
import { confluentCloudArtifactSchema, type ConfluentCloudArtifact } from '../../../../targets/flink-sql/confluent-cloud-artifact.ts';
import { printQuery, printScript } from '../../../../targets/flink-sql/print.ts';
import type * as S from '../../../../targets/flink-sql/sql-ast.ts';
import { compileProject } from '../../../helpers/compile-project.ts';

async function artifact(pipe: string): Promise<ConfluentCloudArtifact> {
  const { result } = await compileProject({ 'p.pipe': pipe });
  const a = result.output?.artifacts.find((x) => x.path === 'p/confluent-cloud.json');
  if (!a) throw new Error('no confluent-cloud.json');
  return confluentCloudArtifactSchema.parse(JSON.parse(a.contents));
}

const pipeline = (header: string, body: string): string => `pipeline p\n  owner 'x'${header};\n\n${body}`;
const SINK = `sink out into kafka topic 'p.out'\n  format avro;\n`;

describe('what Confluent Cloud cannot run as compiled', () => {
  test('a processing-time column, and a view named like a topic the statement reads', async () => {
    const a = await artifact(pipeline('', `source payments from kafka topic 'payments'\n  format avro\n  processing time seen_at;\n\nstream out as select payment_id, cast(seen_at as string) as seen from payments;\n\n${SINK}`));
    expect(a.unsupported).toEqual(['source payments: the processing-time column seen_at; pipec does not generate processing time for Confluent Cloud']);
    expect(a.statement).toEqual([]);
    expect(a.tableChanges).toEqual([]);

    const hidden = await artifact(pipeline('', `source raw_payments from kafka topic 'payments'\n  format avro;\n\nstream payments as select payment_id from raw_payments;\n\nsink payments into kafka topic 'p.out'\n  format avro;\n`));
    expect(hidden.unsupported).toEqual(['view payments has the name of topic payments, which the statement reads as a table; rename the view']);
  });

  test('sources starting at different positions, or at specific offsets', async () => {
    const body = `source payments from kafka topic 'payments'\n  format avro\n  startup latest;\n\nsource later from kafka topic 'payments'\n  format avro\n  startup specific_offsets 'partition:0,offset:42';\n\nstream out as select p.payment_id from payments p join later l on p.payment_id = l.payment_id;\n\n${SINK}`;
    const a = await artifact(pipeline('', body));
    expect(a.unsupported).toEqual([
      'source later: startup at specific offsets; a Confluent Cloud statement starts all its tables at one position',
      'sources start at different positions (payments: latest, later: specific offsets); a Confluent Cloud statement starts all its tables at one position',
    ]);
  });

  test('a raw key that is the primary key (the renaming projection would lose it; the Flink planner refuses the temporal join)', async () => {
    const body = `import payments from 'shared/sources.pipe';\n\nsource m from kafka topic 'merchants'\n  format avro\n  key format raw as mkey\n  primary key (mkey)\n  event time updated_at watermark 0 s;\n\nstream out as select p.payment_id, x.category from payments p join m for system_time as of p.event_time x on p.loan_id = x.mkey;\n\n${SINK}`;
    const a = await artifact(pipeline('', body));
    expect(a.unsupported).toEqual(['source m: a primary key on the raw key mkey; Confluent Cloud names a raw key `key` (bytes), and pipec renames it in a projection, which loses the primary key']);
  });

  test('a JSON sink', async () => {
    const a = await artifact(pipeline('', `import payments from 'shared/sources.pipe';\n\nstream out as select payment_id from payments;\n\nsink out into kafka topic 'p.out'\n  format json;\n`));
    expect(a.unsupported).toEqual(['sink out_topic: a json value; pipec writes topics on Confluent Cloud in Avro only']);
  });
});

describe('rejected records', () => {
  const source = (onError: string): string => `source payments from kafka topic 'payments'\n  format avro\n  on error ${onError};\n\n`;

  test('`on error` is the table\'s own error-handling.mode: skip is `ignore`, a dead letter is `log` into its topic', async () => {
    const skip = await artifact(pipeline('', `${source('skip')}stream out as select payment_id from payments;\n\n${SINK}`));
    expect(skip.unsupported).toEqual([]);
    expect(skip.tableChanges).toEqual([{ table: 'payments', target: 'error handling', statement: ['ALTER TABLE `payments` SET (', "  'error-handling.mode' = 'ignore'", ');'] }]);
    const deadLetter = await artifact(pipeline('', `${source("dead letter 'payments.undecodable'")}stream out as select payment_id from payments;\n\n${SINK}`));
    expect(deadLetter.tableChanges.map((c) => c.statement.join('\n'))).toEqual(["ALTER TABLE `payments` SET (\n  'error-handling.log.target' = 'payments.undecodable',\n  'error-handling.mode' = 'log'\n);"]);
    // The statement reads the topic's table as it is: no guard format, no view of decoded rows.
    expect(deadLetter.statement.join('\n')).not.toMatch(/pipec_error|__guarded/);
  });

  test('an expectation that fails the job needs the pipec runtime, which Confluent Cloud does not have', async () => {
    const a = await artifact(pipeline('', `${source('fail')}stream out as select payment_id from payments\n  expect named: payment_id <> '' else fail;\n\n${SINK}`));
    expect(a.unsupported).toEqual(["stream out: expectation named fails the job through the pipec runtime's PIPEC_RAISE_ERROR, which Confluent Cloud does not have; use `else drop` or `else dead letter`"]);
  });
});

describe('statement properties', () => {
  test('state TTL, idle timeout and a common startup position become properties; parallelism and checkpoints do not', async () => {
    const a = await artifact(pipeline('\n  with (parallelism = 4, checkpoint = 10 s, state_ttl = 2 h, idle_timeout = 30 s, startup = latest)', `import payments from 'shared/sources.pipe';\n\nstream out as select payment_id from payments;\n\n${SINK}`));
    // payments itself says `startup earliest`, which wins over the pipeline's.
    expect(a.unsupported).toEqual([]);
    expect(a.properties).toEqual({ 'sql.state-ttl': '7200000 ms', 'sql.tables.scan.idle-timeout': '30000 ms' });
    const latest = await artifact(pipeline('\n  with (startup = latest)', `source payments from kafka topic 'payments'\n  format avro;\n\nstream out as select payment_id from payments;\n\n${SINK}`));
    expect(latest.properties).toEqual({ 'sql.tables.scan.startup.mode': 'latest-offset' });
    const at = await artifact(pipeline('', `source payments from kafka topic 'payments'\n  format avro\n  startup timestamp '2026-01-01 00:00:00';\n\nstream out as select payment_id from payments;\n\n${SINK}`));
    expect(at.properties).toEqual({ 'sql.tables.scan.startup.mode': 'timestamp', 'sql.tables.scan.startup.timestamp-millis': String(Date.parse('2026-01-01 00:00:00')) });
  });
});

describe('printing', () => {
  const col = (name: string): S.SqlExpr => ({ kind: 'column', qualifier: undefined, name });
  const alter = (change: S.AlterTable['change']): string => printScript([{ kind: 'alter-table', name: 'my-topic', change }]);

  test('ALTER TABLE: a column, a primary key, the watermark, options', () => {
    expect(alter({ kind: 'add-column', column: { kind: 'metadata', name: 'p', type: 'INT NOT NULL', key: 'partition', virtual: true } })).toBe("ALTER TABLE `my-topic` ADD (`p` INT NOT NULL METADATA FROM 'partition' VIRTUAL);\n");
    expect(alter({ kind: 'add-column', column: { kind: 'computed', name: 'ts', expression: col('$rowtime') } })).toBe('ALTER TABLE `my-topic` ADD (`ts` AS `$rowtime`);\n');
    expect(alter({ kind: 'add-primary-key', columns: ['a', 'b'] })).toBe('ALTER TABLE `my-topic` ADD PRIMARY KEY (`a`, `b`) NOT ENFORCED;\n');
    expect(alter({ kind: 'modify-watermark', column: 'ts', expression: { kind: 'binary', operator: '-', left: col('ts'), right: { kind: 'interval', value: '5', unit: 'SECOND', toUnit: undefined } } })).toBe("ALTER TABLE `my-topic` MODIFY WATERMARK FOR `ts` AS `ts` - INTERVAL '5' SECOND;\n");
    expect(alter({ kind: 'set-options', options: { 'value.format': 'avro-debezium-registry', 'changelog.mode': 'retract' } })).toBe("ALTER TABLE `my-topic` SET (\n  'changelog.mode' = 'retract',\n  'value.format' = 'avro-debezium-registry'\n);\n");
  });

  test('WITH items, each a query, before the body', () => {
    const select = (from: string): S.SqlQuery => ({ kind: 'select', distinct: false, items: [{ kind: 'expr', expression: col('a'), alias: undefined }], from: { kind: 'table', name: from, alias: undefined }, where: undefined, groupBy: [], having: undefined });
    expect(printQuery({ kind: 'with', items: [{ name: 'v', query: select('t') }, { name: 'w', query: select('v') }], body: select('w') })).toBe('WITH `v` AS (\n  SELECT `a`\n  FROM `t`\n),\n`w` AS (\n  SELECT `a`\n  FROM `v`\n)\nSELECT `a`\nFROM `w`');
    expect(() => printQuery({ kind: 'union-all', inputs: [select('t'), { kind: 'with', items: [{ name: 'v', query: select('t') }], body: select('v') }] })).toThrow(/WITH query as an input of UNION ALL/);
  });
});
