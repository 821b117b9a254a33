/**
 * Kafka topics over the kafkajs admin client: create, raise partitions, set configs, delete. Only what the
 * user declares is managed: the configs listed (others keep what the topic has), partitions (only up).
 *
 * Ownership: a topic that exists but is not in the stack's state (create is called for it) belongs to someone
 * else and is refused, unless the user adopts it. Destroy keeps a topic and its records unless the user opted in
 * to deleting it.
 */
import type { Admin, ConfigResourceTypes, ConfigSource, KafkaConfig, SASLOptions } from 'kafkajs';

/** The Kafka protocol's resource type of a topic (kafkajs' ConfigResourceTypes.TOPIC). */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
/** A config set on the topic itself (kafkajs' ConfigSource.TOPIC_CONFIG). */
const TOPIC_CONFIG_SOURCE = 1 as ConfigSource;

export interface TopicInputs {
  readonly bootstrapServers: string;
  readonly name: string;
  readonly partitions: number;
  readonly replication: number;
  readonly configs: Readonly<Record<string, string>>;
  /** Client security (TLS, SASL); the password is a Pulumi secret. */
  readonly ssl?: boolean | undefined;
  readonly sasl?: { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: string } | undefined;
  /** Take over the topic when it already exists (only its declared partitions and configs are applied). */
  readonly adopt?: boolean | undefined;
  /** Delete the topic and its records on destroy (default: keep them). */
  readonly deleteOnDestroy?: boolean | undefined;
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
  // kafkajs' own timer prints a warning on about every request (clients/kafkajs-timer-warning.ts).
  (await import('../../clients/kafkajs-timer-warning.ts')).muteKafkajsTimerWarning();
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

/** The configs set on the topic itself (not broker or built-in defaults). */
async function topicConfigs(admin: Admin, name: string): Promise<Record<string, string>> {
  const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC_RESOURCE, name }] });
  const out: Record<string, string> = {};
  for (const e of res.resources[0]?.configEntries ?? []) if (e.configSource === TOPIC_CONFIG_SOURCE && e.configValue !== null) out[e.configName] = e.configValue;
  return out;
}

/**
 * Sets `set` and returns the keys of `unset` to their defaults, keeping every other config the topic has. Kafka's
 * AlterConfigs replaces a topic's whole config (kafkajs has no incremental variant), so the topic's own configs
 * are read first and sent along: nobody's setting is reset because pipec does not declare it.
 */
async function setConfigs(admin: Admin, name: string, set: Readonly<Record<string, string>>, unset: readonly string[] = []): Promise<void> {
  const current = await topicConfigs(admin, name);
  const next = { ...Object.fromEntries(Object.entries(current).filter(([k]) => !unset.includes(k))), ...set };
  if (sameRecord(current, next)) return;
  kafkaMutations.push(`alterConfigs ${name}`);
  await admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC_RESOURCE, name, configEntries: Object.entries(next).map(([n, value]) => ({ name: n, value })) }] });
}

/** Kafka's answer to a failed CreateTopics, per topic: the error's name and its description. */
function creationFailure(name: string, e: unknown): Error {
  const errors = (e as { errors?: readonly { topic?: string; type?: string; message?: string }[] }).errors ?? [];
  const mine = errors.find((x) => x.topic === name) ?? errors[0];
  const reason = mine ? `${mine.type ?? 'error'}: ${mine.message ?? ''}` : (e as Error).message;
  return new Error(`Kafka refused to create topic ${name} (${reason})`, { cause: e });
}

export async function createTopic(inputs: TopicInputs): Promise<TopicOutputs> {
  return withAdmin(inputs, async (admin) => {
    const existing = await partitionCount(admin, inputs.name);
    if (existing === undefined) {
      kafkaMutations.push(`createTopics ${inputs.name}`);
      await admin
        .createTopics({
          waitForLeaders: false,
          topics: [{ topic: inputs.name, numPartitions: inputs.partitions, replicationFactor: inputs.replication, configEntries: Object.entries(inputs.configs).map(([name, value]) => ({ name, value })) }],
        })
        .catch((e: unknown) => {
          throw creationFailure(inputs.name, e);
        });
      await awaitLeaders(admin, inputs.name);
      return { ...inputs, actualPartitions: inputs.partitions };
    }
    if (!inputs.adopt) {
      throw new Error(
        `topic ${inputs.name} already exists and is not in this stack's state: pipec does not take over a topic it did not create. ` +
          `Adopt it explicitly (PipelineStack's \`adopt: { topics: ['${inputs.name}'] }\`: only its declared partitions and configs are applied, nothing else of it changes) or choose another topic name`,
      );
    }
    return adopt(admin, inputs, existing);
  });
}

/** An existing topic taken over: raise partitions if fewer, set the declared configs, leave the rest as it is. */
async function adopt(admin: Admin, inputs: TopicInputs, existing: number): Promise<TopicOutputs> {
  if (existing < inputs.partitions) {
    kafkaMutations.push(`createPartitions ${inputs.name}`);
    await admin.createPartitions({ topicPartitions: [{ topic: inputs.name, count: inputs.partitions }] });
  }
  await setConfigs(admin, inputs.name, inputs.configs);
  return { ...inputs, actualPartitions: Math.max(existing, inputs.partitions) };
}

export async function updateTopic(olds: TopicOutputs, news: TopicInputs): Promise<TopicOutputs> {
  if (news.replication !== olds.replication) {
    // Not a replacement: deleting the topic would lose its records.
    throw new Error(`topic ${news.name}: pipec does not change a topic's replication (${olds.replication} → ${news.replication}); reassign its partitions with Kafka's tools (kafka-reassign-partitions) and declare the new factor`);
  }
  if (news.partitions < olds.actualPartitions) {
    throw new Error(`topic ${news.name}: Kafka cannot reduce partitions (${olds.actualPartitions} → ${news.partitions}); create a new topic instead`);
  }
  // Only the destroy switch changed: nothing to send.
  if (news.partitions <= olds.actualPartitions && sameRecord(olds.configs, news.configs)) return { ...news, actualPartitions: olds.actualPartitions };
  return withAdmin(news, async (admin) => {
    if (news.partitions > olds.actualPartitions) {
      kafkaMutations.push(`createPartitions ${news.name}`);
      await admin.createPartitions({ topicPartitions: [{ topic: news.name, count: news.partitions }] });
    }
    // Keys no longer declared return to their defaults; configs pipec never declared stay as they are.
    if (!sameRecord(olds.configs, news.configs)) await setConfigs(admin, news.name, news.configs, Object.keys(olds.configs).filter((k) => !(k in news.configs)));
    return { ...news, actualPartitions: Math.max(olds.actualPartitions, news.partitions) };
  });
}

export async function deleteTopic(props: TopicOutputs): Promise<void> {
  if (!props.deleteOnDestroy) {
    console.log(`pipec: topic ${props.name} kept with its records (topics are deleted only with PipelineStack's \`deleteOnDestroy\`); it is no longer in this stack's state, so a later deploy must adopt it`);
    return;
  }
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
