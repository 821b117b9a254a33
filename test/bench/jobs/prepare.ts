/**
 * Turns a job's SQL (pipec's job.sql, or a hand-written file in the same layout) into what one benchmark run
 * submits. What changes, and why — the same for the generated and the hand-written SQL; nothing else is touched:
 * - `${pipec:…}` placeholders are filled with the local stack's endpoints, as the deployer would;
 * - source tables read the benchmark's input topics and get `'scan.bounded.mode' = 'latest-offset'`, so the
 *   job ends when it has read the loaded records and its duration is the time to process them;
 * - sink topics, consumer group ids and transactional-id prefixes get per-run names, so no run sees another's
 *   records, offsets or transactions;
 * - one SET after the generated ones: a 5 s checkpoint interval (the generated 30 s / 1 min would not
 *   checkpoint at all in a run this short, and state size is read from the checkpoints).
 */
import type { LocalEndpoints } from '../../../local/index.ts';
import { fillPlaceholders } from '../../../stdlib/placeholders.ts';
import { splitJobSql } from '../../helpers/job-sql.ts';

export const CHECKPOINT_INTERVAL = '5 s';

export interface SinkTopic {
  readonly table: string;
  readonly topic: string;
  /** upsert-kafka: the result is the last value per key (a null value deletes the key), not every record. */
  readonly upsert: boolean;
  /** Written in Kafka transactions (exactly-once): every partition ends with a commit marker. */
  readonly transactional: boolean;
}

export interface PreparedJob {
  /** SET and CREATE statements, run in the job's session before its INSERTs. */
  readonly setup: readonly string[];
  /** Submits the Flink job: the whole statement set, or one sink's INSERT when split. */
  readonly statement: string;
}

export interface PreparedRun {
  readonly jobs: readonly PreparedJob[];
  readonly sinks: readonly SinkTopic[];
  /** The statement set (or the one INSERT) as written (for EXPLAIN). */
  readonly statementSet: string;
}

export interface PrepareOptions {
  readonly endpoints: LocalEndpoints;
  /** The topic each source table names in the SQL → the benchmark's input topic. */
  readonly inputTopics: Readonly<Record<string, string>>;
  /** Unique per run: suffix of sink topics, group ids, transactional ids. */
  readonly runTag: string;
  /** One job per sink instead of one job with a statement set. */
  readonly split: boolean;
}

const tableName = (statement: string): string | undefined => /^CREATE TEMPORARY TABLE `([^`]+)`/.exec(statement)?.[1];
const option = (statement: string, key: string): string | undefined => new RegExp(`'${key.replace(/\./g, '\\.')}' = '([^']*)'`).exec(statement)?.[1];

function setOption(statement: string, key: string, value: string): string {
  const pattern = new RegExp(`'${key.replace(/\./g, '\\.')}' = '[^']*'`);
  if (!pattern.test(statement)) throw new Error(`${tableName(statement) ?? 'a table'} has no '${key}' option`);
  return statement.replace(pattern, `'${key}' = '${value}'`);
}

/** The INSERTs of an `EXECUTE STATEMENT SET BEGIN … END` block, each ending where a line ends in `;`. */
function insertsOf(statementSet: string): string[] {
  const body = statementSet.replace(/^EXECUTE STATEMENT SET\s+BEGIN\s*/, '').replace(/\s*END$/, '');
  const inserts: string[] = [];
  let current: string[] = [];
  for (const line of body.split('\n')) {
    if (current.length === 0 && line.trim() === '') continue;
    current.push(line);
    if (line.trimEnd().endsWith(';')) {
      inserts.push(current.join('\n').trim().replace(/;$/, ''));
      current = [];
    }
  }
  if (current.some((l) => l.trim() !== '')) throw new Error(`statement set ends inside an INSERT: ${current.join('\n').slice(0, 120)}`);
  return inserts;
}

export function prepareRun(sql: string, options: PrepareOptions): PreparedRun {
  const { endpoints, runTag } = options;
  const filled = fillPlaceholders(sql, {
    'kafka.bootstrap_servers': endpoints.kafkaBootstrap,
    'registry.url': endpoints.schemaRegistryUrl,
    'flink.plan_path': `file://${endpoints.dir}/data/bench-${runTag}.json`,
  }, 'sql-string');
  if (filled.includes('${pipec:')) throw new Error(`unfilled placeholder in the job: ${/\$\{pipec:[^}]*\}/.exec(filled)?.[0] ?? ''}`);
  const statements = splitJobSql(filled);
  const sets = statements.filter((s) => s.startsWith('SET '));
  const creates = statements.filter((s) => s.startsWith('CREATE '));
  // pipec emits one statement set; a hand-written job with one sink is a plain INSERT.
  const statementSets = statements.filter((s) => s.startsWith('EXECUTE STATEMENT SET'));
  const plainInserts = statements.filter((s) => s.startsWith('INSERT INTO'));
  if (statementSets.length + plainInserts.length !== 1) throw new Error(`expected one EXECUTE STATEMENT SET or one INSERT, found ${statementSets.length} and ${plainInserts.length}`);
  const statementSet = statementSets[0] ?? plainInserts[0] ?? '';
  const inserts = statementSets.length === 1 ? insertsOf(statementSet) : plainInserts;
  const targets = new Set(inserts.map((i) => /^INSERT INTO `([^`]+)`/.exec(i)?.[1]));

  const sinks: SinkTopic[] = [];
  const sinkTables = new Map<string, string>();
  for (const statement of creates) {
    const table = tableName(statement);
    if (!table || !targets.has(table)) continue;
    const topic = option(statement, 'topic');
    if (!topic) throw new Error(`sink table ${table} has no topic`);
    const renamed = `bench.out.${runTag}.${topic}`;
    sinks.push({ table, topic: renamed, upsert: option(statement, 'connector') === 'upsert-kafka', transactional: option(statement, 'sink.delivery-guarantee') === 'exactly-once' });
    let out = setOption(statement, 'topic', renamed);
    if (option(out, 'sink.transactional-id-prefix') !== undefined) out = setOption(out, 'sink.transactional-id-prefix', `bench.${runTag}.${table}`);
    sinkTables.set(table, out);
  }
  // The jobs of a split pipeline read with their own consumer groups, as separately deployed jobs would.
  const tables = (job: number | undefined): string[] =>
    creates.map((statement) => {
      const table = tableName(statement);
      if (!table) return statement; // a view
      const sink = sinkTables.get(table);
      if (sink) return sink;
      const topic = option(statement, 'topic');
      const input = topic === undefined ? undefined : options.inputTopics[topic];
      if (!input) throw new Error(`source table ${table} reads topic ${topic ?? '(none)'}, which the benchmark does not load`);
      let out = setOption(statement, 'topic', input);
      if (option(out, 'properties.group.id') !== undefined) out = setOption(out, 'properties.group.id', `bench.${runTag}.${table}${job === undefined ? '' : `.job${job}`}`);
      if (!/\) WITH \(\n/.test(out)) throw new Error(`table ${table}: no WITH clause`);
      return out.replace(/\) WITH \(\n/, `) WITH (\n  'scan.bounded.mode' = 'latest-offset',\n`);
    });

  const setup = (job: number | undefined): string[] => [...sets, `SET 'execution.checkpointing.interval' = '${CHECKPOINT_INTERVAL}'`, ...tables(job)];
  const jobs = options.split && statementSets.length === 1 ? inserts.map((i, n) => ({ setup: setup(n), statement: `EXECUTE STATEMENT SET\nBEGIN\n${i};\nEND` })) : [{ setup: setup(undefined), statement: statementSet }];
  return { jobs, sinks, statementSet };
}
