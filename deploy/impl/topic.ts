/**
 * Kafka topics over the kafkajs admin client: create, raise partitions, set configs, delete. Only what the
 * user declares is managed: the configs listed (others keep the broker's defaults), partitions (only up).
 */
import type { Admin, ConfigResourceTypes, KafkaConfig, SASLOptions } from 'kafkajs';

/** The Kafka protocol's resource type of a topic (kafkajs' ConfigResourceTypes.TOPIC). */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

export interface TopicInputs {
  readonly bootstrapServers: string;
  readonly name: string;
  readonly partitions: number;
  readonly replication: number;
  readonly configs: Readonly<Record<string, string>>;
  /** Client security (TLS, SASL); the password is a Pulumi secret. */
  readonly ssl?: boolean | undefined;
  readonly sasl?: { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: string } | undefined;
}

export interface TopicOutputs extends TopicInputs {
  /** The partitions the topic has after the last create or update (at least `partitions`). */
  readonly actualPartitions: number;
}

/**
 * Every mutating admin call made in this process, as `method target` (tests count them). Kept on globalThis:
 * the provider loads this module with `require`, a test may have its own copy through its module loader.
 */
const registry = globalThis as { __pipecKafkaMutations?: string[] };
export const kafkaMutations: string[] = (registry.__pipecKafkaMutations ??= []);

async function withAdmin<T>(inputs: TopicInputs, f: (admin: Admin) => Promise<T>): Promise<T> {
  const kafkajs = await import('kafkajs');
  // A CommonJS package: its names are on the default export when loaded from an ES module.
  const { Kafka, logLevel } = (kafkajs as unknown as { default?: typeof kafkajs }).default ?? kafkajs;
  const config: KafkaConfig = {
    clientId: 'pipec-deploy',
    brokers: inputs.bootstrapServers.split(',').map((b) => b.trim()),
    logLevel: logLevel.NOTHING,
    retry: { retries: 5 },
    ...(inputs.ssl ? { ssl: true } : {}),
    ...(inputs.sasl ? { sasl: inputs.sasl as SASLOptions } : {}),
  };
  const admin = new Kafka(config).admin();
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`cannot reach Kafka at ${inputs.bootstrapServers}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return await f(admin);
  } catch (e) {
    throw new Error(`Kafka at ${inputs.bootstrapServers}: ${(e as Error).message}`, { cause: e });
  } finally {
    await admin.disconnect();
  }
}

async function partitionCount(admin: Admin, name: string): Promise<number | undefined> {
  const topics = await admin.listTopics();
  if (!topics.includes(name)) return undefined;
  const meta = await admin.fetchTopicMetadata({ topics: [name] });
  return meta.topics[0]?.partitions.length;
}

/**
 * Waits until every partition of a just-created topic has a leader. Not kafkajs' `waitForLeaders`: it retries
 * only LEADER_NOT_AVAILABLE, while a broker creating many topics at once briefly answers
 * UNKNOWN_TOPIC_OR_PARTITION for one it has just created — which made a first deploy of 20 pipelines fail.
 */
async function awaitLeaders(admin: Admin, name: string, timeoutMs = 60_000): Promise<void> {
  let last = '';
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    try {
      const partitions = (await admin.fetchTopicMetadata({ topics: [name] })).topics[0]?.partitions ?? [];
      if (partitions.length > 0 && partitions.every((p) => p.leader >= 0)) return;
      last = `${partitions.filter((p) => p.leader < 0).length} of ${partitions.length} partitions without a leader`;
    } catch (e) {
      const type = (e as { type?: string }).type;
      if (type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE') throw e;
      last = type;
    }
  }
  throw new Error(`topic ${name} was created but has no leader for every partition after ${timeoutMs / 1000} s (${last})`);
}

async function setConfigs(admin: Admin, name: string, configs: Readonly<Record<string, string>>): Promise<void> {
  kafkaMutations.push(`alterConfigs ${name}`);
  // AlterConfigs (not incremental) sets exactly these: a config the user removed returns to the broker default.
  await admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC_RESOURCE, name, configEntries: Object.entries(configs).map(([n, value]) => ({ name: n, value })) }] });
}

async function currentConfigs(admin: Admin, name: string, keys: readonly string[]): Promise<Record<string, string>> {
  const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC_RESOURCE, name, configNames: [...keys] }] });
  const out: Record<string, string> = {};
  for (const e of res.resources[0]?.configEntries ?? []) if (!e.isDefault) out[e.configName] = e.configValue;
  return out;
}

export async function createTopic(inputs: TopicInputs): Promise<TopicOutputs> {
  return withAdmin(inputs, async (admin) => {
    const existing = await partitionCount(admin, inputs.name);
    if (existing === undefined) {
      kafkaMutations.push(`createTopics ${inputs.name}`);
      await admin.createTopics({
        waitForLeaders: false,
        topics: [{ topic: inputs.name, numPartitions: inputs.partitions, replicationFactor: inputs.replication, configEntries: Object.entries(inputs.configs).map(([name, value]) => ({ name, value })) }],
      });
      await awaitLeaders(admin, inputs.name);
      return { ...inputs, actualPartitions: inputs.partitions };
    }
    // The topic exists (created by hand, or by an earlier deploy whose state was lost): adopt it.
    return reconcile(admin, inputs, existing);
  });
}

async function reconcile(admin: Admin, inputs: TopicInputs, existing: number): Promise<TopicOutputs> {
  if (existing < inputs.partitions) {
    kafkaMutations.push(`createPartitions ${inputs.name}`);
    await admin.createPartitions({ topicPartitions: [{ topic: inputs.name, count: inputs.partitions }] });
  }
  const keys = Object.keys(inputs.configs);
  const current = await currentConfigs(admin, inputs.name, keys);
  if (keys.some((k) => current[k] !== inputs.configs[k])) await setConfigs(admin, inputs.name, inputs.configs);
  return { ...inputs, actualPartitions: Math.max(existing, inputs.partitions) };
}

export async function updateTopic(olds: TopicOutputs, news: TopicInputs): Promise<TopicOutputs> {
  if (news.partitions < olds.actualPartitions) {
    throw new Error(`topic ${news.name}: Kafka cannot reduce partitions (${olds.actualPartitions} → ${news.partitions}); create a new topic instead`);
  }
  return withAdmin(news, async (admin) => {
    if (news.partitions > olds.actualPartitions) {
      kafkaMutations.push(`createPartitions ${news.name}`);
      await admin.createPartitions({ topicPartitions: [{ topic: news.name, count: news.partitions }] });
    }
    if (!sameRecord(olds.configs, news.configs)) await setConfigs(admin, news.name, news.configs);
    return { ...news, actualPartitions: Math.max(olds.actualPartitions, news.partitions) };
  });
}

export async function deleteTopic(props: TopicOutputs): Promise<void> {
  await withAdmin(props, async (admin) => {
    if ((await partitionCount(admin, props.name)) === undefined) return;
    kafkaMutations.push(`deleteTopics ${props.name}`);
    await admin.deleteTopics({ topics: [props.name] });
  });
}

export function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}
