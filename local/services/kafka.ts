/**
 * Kafka 4.x in KRaft mode: one combined broker + controller, formatted once (kafka.tools.StorageTool) and
 * started with kafka.Kafka, like bin/kafka-storage.sh and bin/kafka-server-start.sh do.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStackError } from '../errors.ts';
import { kafkaMetadata } from '../kafka-probe.ts';
import { execText } from '../proc.ts';
import type { LaunchContext, ProcessDef } from './types.ts';
import { jvmBase, jvmMarker, log4j2Console } from './types.ts';

function properties(ctx: LaunchContext): string {
  const { ports } = ctx.config;
  const p: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${ports.kafka_controller}`,
    listeners: `PLAINTEXT://127.0.0.1:${ports.kafka},CONTROLLER://127.0.0.1:${ports.kafka_controller}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${ports.kafka}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': join(ctx.paths.data, 'kafka'),
    'num.partitions': '1',
    'auto.create.topics.enable': 'true',
    'offsets.topic.replication.factor': '1',
    // 50 partitions by default: creating them is the slowest part of the first consumer group on 2 cores.
    'offsets.topic.num.partitions': '4',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '4',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    'log.retention.hours': '168',
  };
  return `${Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/**
 * A Kafka cluster id: 16 random bytes, base64url without padding, as `kafka-storage random-uuid` prints it.
 * Like Kafka's own generator it never starts with '-': the storage tool would read such an id as an option
 * (one id in 64 did, and formatting failed).
 */
export function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function kafkaClasspath(ctx: LaunchContext): string {
  return `${join(ctx.jars.kafka, 'libs')}/*`;
}

export const kafka: ProcessDef = {
  name: 'kafka',
  ports: ['kafka', 'kafka_controller'],
  dependsOn: [],
  stopSignal: 'SIGTERM',
  graceMs: 30_000,
  marker: (paths) => jvmMarker('kafka', paths),

  async prepare(ctx) {
    const { paths } = ctx;
    mkdirSync(paths.conf, { recursive: true });
    const serverProps = join(paths.conf, 'kafka.properties');
    const log4j = join(paths.conf, 'log4j2-kafka.properties');
    writeFileSync(serverProps, properties(ctx));
    writeFileSync(log4j, `${log4j2Console}logger.kafka.name = kafka\nlogger.kafka.level = WARN\nlogger.state.name = state.change.logger\nlogger.state.level = WARN\n`);
    const dataDir = join(paths.data, 'kafka');
    if (!existsSync(join(dataDir, 'meta.properties'))) {
      mkdirSync(dataDir, { recursive: true });
      const r = await execText(ctx.java.java, ['-Xmx256m', `-Dlog4j2.configurationFile=${log4j}`, '-cp', kafkaClasspath(ctx), 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', serverProps], { timeoutMs: 120_000 });
      writeFileSync(join(paths.logs, 'kafka.log'), `${r.stdout}${r.stderr}`, { flag: 'a' });
      if (r.code !== 0) {
        throw new LocalStackError('process-exited', `formatting Kafka storage failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`, 'see pipec local logs kafka');
      }
    }
    return {
      command: ctx.java.java,
      args: [...jvmBase('kafka', paths, ctx.config.memory_mb.kafka), `-Dlog4j2.configurationFile=${log4j}`, '-cp', kafkaClasspath(ctx), 'kafka.Kafka', serverProps],
      cwd: paths.root,
      logFile: join(paths.logs, 'kafka.log'),
    };
  },

  checks(config) {
    return [
      {
        service: 'kafka',
        port: 'kafka',
        async probe() {
          try {
            const md = await kafkaMetadata('127.0.0.1', config.ports.kafka);
            if (md.brokers.length === 0) return 'no broker in metadata yet';
            if (md.controllerId < 0) return 'no active controller yet';
            return undefined;
          } catch (e) {
            return (e as { code?: string }).code ?? (e as Error).message;
          }
        },
      },
    ];
  },
};
