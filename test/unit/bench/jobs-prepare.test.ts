/**
 * The job benchmark's promise about the SQL it runs (test/bench/jobs/prepare.ts): the generated job is run as
 * pipec emits it except for the documented changes, and the hand-written twins declare the same tables.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalEndpoints } from '../../../local/index.ts';
import { fillPlaceholders } from '../../../stdlib/placeholders.ts';
import { generatedJobs } from '../../bench/jobs/compile.ts';
import { CHECKPOINT_INTERVAL, prepareRun } from '../../bench/jobs/prepare.ts';
import { splitJobSql } from '../../helpers/job-sql.ts';

const endpoints: LocalEndpoints = {
  flinkLine: '1.20',
  kafkaBootstrap: '127.0.0.1:39092',
  connectUrl: 'http://127.0.0.1:38083',
  flinkRestUrl: 'http://127.0.0.1:38081',
  sqlGatewayUrl: 'http://127.0.0.1:38091',
  schemaRegistryUrl: 'http://127.0.0.1:38085/apis/ccompat/v7',
  postgres: { host: '127.0.0.1', port: 35432, user: 'postgres', password: 'postgres', database: 'pipec', jdbcUrl: 'jdbc:postgresql://127.0.0.1:35432/pipec' },
  savepointDir: '/stack/data/flink/savepoints',
  checkpointDir: '/stack/data/flink/checkpoints',
  dir: '/stack',
};
const inputTopics = { payments: 'in.payments', 'loans.public.loans': 'in.loans', 'card-authorizations': 'in.auths', merchants: 'in.merchants' };
const filled = (sql: string): string => fillPlaceholders(sql, { 'kafka.bootstrap_servers': endpoints.kafkaBootstrap, 'registry.url': endpoints.schemaRegistryUrl }, 'sql-string');

/** A statement with the options the benchmark changes masked, and its bounded-mode line removed. */
const masked = (statement: string): string =>
  statement.replace(/\n {2}'scan\.bounded\.mode' = 'latest-offset',/, '').replace(/'(topic|properties\.group\.id|sink\.transactional-id-prefix)' = '[^']*'/g, "'$1' = '…'");

let jobs: Map<string, string>;
beforeAll(async () => {
  jobs = await generatedJobs('1.20');
});

describe('prepareRun', () => {
  it('runs the generated job as emitted, except for the documented changes', () => {
    const sql = jobs.get('payments_dedupe') ?? '';
    const run = prepareRun(sql, { endpoints, inputTopics, runTag: 't1', split: false });
    const original = splitJobSql(filled(sql));
    const [job] = run.jobs;
    expect(run.jobs).toHaveLength(1);
    // The one added statement comes right after the generated SETs.
    const sets = original.filter((s) => s.startsWith('SET '));
    expect(job?.setup.slice(0, sets.length + 1)).toEqual([...sets, `SET 'execution.checkpointing.interval' = '${CHECKPOINT_INTERVAL}'`]);
    // Every other statement is the generated one up to the masked options; the statement set is untouched.
    expect(job?.setup.slice(sets.length + 1).map(masked)).toEqual(original.filter((s) => s.startsWith('CREATE ')).map(masked));
    expect(job?.statement).toBe(original.find((s) => s.startsWith('EXECUTE STATEMENT SET')));
    const source = job?.setup.find((s) => s.startsWith('CREATE TEMPORARY TABLE `payments`')) ?? '';
    expect(source).toContain("'scan.bounded.mode' = 'latest-offset'");
    expect(source).toContain("'topic' = 'in.payments'");
    expect(source).toContain("'properties.group.id' = 'bench.t1.payments'");
    const sink = job?.setup.find((s) => s.startsWith('CREATE TEMPORARY TABLE `unique_payments_topic`')) ?? '';
    expect(sink).not.toContain('scan.bounded.mode');
    expect(sink).toContain("'sink.transactional-id-prefix' = 'bench.t1.unique_payments_topic'");
    expect(run.sinks).toEqual([{ table: 'unique_payments_topic', topic: 'bench.out.t1.payments.unique', upsert: true, transactional: true }]);
    expect(job?.setup.join('\n')).not.toContain('${pipec:');
  });

  it('splits a statement set into one job per sink, each with its own consumer groups', () => {
    const sql = jobs.get('merchant_leaders') ?? '';
    const whole = prepareRun(sql, { endpoints, inputTopics, runTag: 't2', split: false });
    const split = prepareRun(sql, { endpoints, inputTopics, runTag: 't2', split: true });
    expect(whole.jobs).toHaveLength(1);
    expect(split.jobs).toHaveLength(2);
    expect(split.sinks).toEqual(whole.sinks);
    const inserts = split.jobs.map((j) => /^EXECUTE STATEMENT SET\nBEGIN\n(INSERT INTO `(\w+)`[\s\S]*);\nEND$/.exec(j.statement)?.[2]);
    expect(inserts).toEqual(['top_merchants_topic', 'category_volume_elasticsearch']);
    const groups = split.jobs.map((j) => j.setup.join('\n').match(/'properties\.group\.id' = '[^']*'/g));
    expect(groups[0]).toEqual(["'properties.group.id' = 'bench.t2.card_authorizations.job0'"]);
    expect(groups[1]).toEqual(["'properties.group.id' = 'bench.t2.card_authorizations.job1'"]);
  });

  it('refuses a source topic the benchmark does not load', () => {
    expect(() => prepareRun(jobs.get('fraud_login_country') ?? '', { endpoints, inputTopics, runTag: 't3', split: false })).toThrow(/customer-logins/);
  });
});

describe('hand-written jobs', () => {
  for (const pipeline of ['payments_enriched', 'payments_per_minute', 'payments_dedupe']) {
    it(`${pipeline}: declares the generated job's tables, text for text, and one INSERT`, () => {
      const hand = readFileSync(path.join(import.meta.dirname, '../../bench/jobs/hand', `${pipeline}.sql`), 'utf8');
      const tables = (sql: string): string[] => splitJobSql(sql).filter((s) => s.startsWith('CREATE TEMPORARY TABLE'));
      expect(tables(hand)).toEqual(tables(jobs.get(pipeline) ?? ''));
      const run = prepareRun(hand, { endpoints, inputTopics, runTag: 't4', split: false });
      expect(run.jobs.map((j) => j.statement.split('\n')[0])).toEqual([expect.stringMatching(/^INSERT INTO `\w+`$/)]);
    });
  }
});
