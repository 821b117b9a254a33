/**
 * The deploy benchmark's corpus: N small, realistic pipelines, each a JSON source topic, a keyed aggregate and
 * an upsert Kafka sink — per pipeline 1 topic, 2 subjects (key and value), 1 state guard and 1 Flink job.
 * Compiled the way the deploy integration tests do (static schemas, the test config) into a build folder.
 */
import { t } from '../../compiler/types/types.ts';
import type { LocalEndpoints } from '../../local/endpoints.ts';
import { staticSchemas, testConfig } from '../helpers/check.ts';
import { writeBuild } from '../helpers/compile-project.ts';
import { compileSnippet } from '../integration/kafka-connect/helpers.ts';
import { withAdmin } from '../integration/local-stack/helpers.ts';

export interface DeployCorpus {
  readonly pipelines: readonly string[];
  /** Source topics the jobs read: not managed by the deployer, so created by the benchmark. */
  readonly sourceTopics: readonly string[];
  readonly sinkTopics: readonly string[];
}

export function deployCorpus(prefix: string, n: number): DeployCorpus {
  const pipelines = Array.from({ length: n }, (_, i) => `${prefix}_p${String(i + 1).padStart(2, '0')}`);
  return { pipelines, sourceTopics: pipelines.map((p) => `${p}.orders`), sinkTopics: pipelines.map((p) => `${p}.totals`) };
}

/**
 * Writes the corpus as a build. `checkpointS` sets the checkpoint interval of the first pipeline only: changing
 * it is a state-compatible change of one job (stop with a savepoint, restore), the rest of the build unchanged.
 */
export function writeDeployBuild(corpus: DeployCorpus, checkpointS: number): Promise<string> {
  const rows = Object.fromEntries(
    corpus.pipelines.map((p) => [`${p}.orders-value`, [{ name: 'order_id', type: t.string(false) }, { name: 'customer_id', type: t.string(false) }, { name: 'amount', type: t.decimal(12, 2, false) }]]),
  );
  const files = Object.fromEntries(
    corpus.pipelines.map((p, i) => [
      `${p}.pipe`,
      `pipeline ${p} with (parallelism = 1, checkpoint = ${i === 0 ? checkpointS : 10} s);
source orders from kafka topic '${p}.orders' format json startup earliest;
stream totals as select customer_id, count(*) as orders, sum(amount) as amount from orders group by customer_id;
sink totals into kafka topic '${p}.totals' format json upsert key (customer_id);
`,
    ]),
  );
  return writeBuild(compileSnippet(files, testConfig, staticSchemas(rows)).artifacts, `pipec-${corpus.pipelines[0] ?? 'empty'}-`);
}

/**
 * Polls Kafka until `done` holds for the topic names and their metadata, for up to `timeoutMs`. Right after
 * topics are created or deleted, the KRaft broker answers metadata requests for them with errors
 * (UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE) for a while: those count as "not yet".
 */
async function awaitTopics(endpoints: LocalEndpoints, topics: readonly string[], want: 'present' | 'gone', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const listed = new Set(await withAdmin(endpoints, (admin) => admin.listTopics()));
      if (want === 'gone' && topics.every((x) => !listed.has(x))) return;
      if (want === 'present' && topics.every((x) => listed.has(x))) {
        const meta = await withAdmin(endpoints, (admin) => admin.fetchTopicMetadata({ topics: [...topics] }));
        if (meta.topics.every((x) => x.partitions.every((p) => p.leader >= 0))) return;
      }
      last = `not yet ${want}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Kafka topics not ${want} after ${timeoutMs} ms (${last}): ${topics.join(', ')}`);
}

/** The source topics, created without the deployer, and only returned once every one has a leader. */
export async function createSourceTopics(endpoints: LocalEndpoints, corpus: DeployCorpus): Promise<void> {
  await withAdmin(endpoints, (admin) => admin.createTopics({ topics: corpus.sourceTopics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })), waitForLeaders: false }));
  await awaitTopics(endpoints, corpus.sourceTopics, 'present');
}

/** Deletes the source topics and waits until neither they nor the sink topics are listed any more. */
export async function removeCorpusTopics(endpoints: LocalEndpoints, corpus: DeployCorpus): Promise<void> {
  await withAdmin(endpoints, (admin) => admin.deleteTopics({ topics: [...corpus.sourceTopics] })).catch(() => undefined);
  await awaitTopics(endpoints, [...corpus.sourceTopics, ...corpus.sinkTopics], 'gone');
}
