/**
 * Flink as one JVM: the project's launcher (local/launcher/PipecFlinkLocal.java) starts a MiniCluster that
 * serves the real Flink REST API on a fixed port, then the SQL Gateway pointed at it. See the launcher for why
 * this beats three JVMs (JobManager, TaskManager, gateway) on 2 cores. The Flink line is chosen at `up`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LaunchContext, ProcessDef } from './types.ts';
import { httpProbe, jvmBase, jvmMarker, log4j2Console } from './types.ts';

/** The module flags Flink's own config.yaml passes on Java 17 (env.java.opts.all), for Kryo and friends. */
const javaModuleOptions = [
  '--add-exports=java.base/sun.net.util=ALL-UNNAMED',
  '--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED',
  '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.net=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens=java.base/java.text=ALL-UNNAMED',
  '--add-opens=java.base/java.time=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED',
];

export function flinkStateDirs(ctx: Pick<LaunchContext, 'paths'>): { checkpoints: string; savepoints: string } {
  return { checkpoints: join(ctx.paths.data, 'flink', 'checkpoints'), savepoints: join(ctx.paths.data, 'flink', 'savepoints') };
}

function flinkConfig(ctx: LaunchContext): Record<string, string | number> {
  const { ports } = ctx.config;
  const dirs = flinkStateDirs(ctx);
  const conf: Record<string, string | number> = {
    'jobmanager.rpc.address': '127.0.0.1',
    'rest.address': '127.0.0.1',
    'rest.bind-address': '127.0.0.1',
    'rest.port': ports.flink_rest,
    'taskmanager.numberOfTaskSlots': ctx.config.flink_task_slots,
    'parallelism.default': 1,
    'taskmanager.memory.managed.size': '128m',
    'taskmanager.memory.network.min': '64m',
    'taskmanager.memory.network.max': '64m',
    'execution.checkpointing.dir': `file://${dirs.checkpoints}`,
    'execution.checkpointing.savepoint-dir': `file://${dirs.savepoints}`,
    'io.tmp.dirs': join(ctx.paths.data, 'flink', 'tmp'),
    'sql-gateway.endpoint.rest.address': '127.0.0.1',
    'sql-gateway.endpoint.rest.bind-address': '127.0.0.1',
    'sql-gateway.endpoint.rest.port': ports.sql_gateway,
    // Without it the gateway's endpoint falls back to rest.bind-port, the cluster's own port.
    'sql-gateway.endpoint.rest.bind-port': String(ports.sql_gateway),
    'sql-gateway.session.idle-timeout': '30 min',
  };
  if (ctx.flinkLine === '1.20') {
    // 1.20 still documents the older keys first; set both so either reading wins the same way.
    conf['state.checkpoints.dir'] = `file://${dirs.checkpoints}`;
    conf['state.savepoints.dir'] = `file://${dirs.savepoints}`;
  }
  return conf;
}

export const flink: ProcessDef = {
  name: 'flink',
  ports: ['flink_rest', 'sql_gateway'],
  dependsOn: [],
  stopSignal: 'SIGTERM',
  graceMs: 30_000,
  marker: (paths) => jvmMarker('flink', paths),

  async prepare(ctx) {
    const { paths, config } = ctx;
    const confDir = join(paths.conf, 'flink');
    mkdirSync(confDir, { recursive: true });
    const dirs = flinkStateDirs(ctx);
    for (const d of [dirs.checkpoints, dirs.savepoints, join(paths.data, 'flink', 'tmp')]) mkdirSync(d, { recursive: true });
    writeFileSync(join(confDir, 'config.yaml'), stringify(flinkConfig(ctx)));
    const log4j = join(confDir, 'log4j2.properties');
    writeFileSync(log4j, `${log4j2Console}logger.kafka.name = org.apache.kafka\nlogger.kafka.level = WARN\n`);
    return {
      command: ctx.java.java,
      args: [
        ...jvmBase('flink', paths, config.memory_mb.flink),
        ...javaModuleOptions,
        `-Dlog4j2.configurationFile=${log4j}`,
        '-cp',
        `${ctx.jars.flinkLauncher}:${ctx.jars.flinkRuntime}:${join(ctx.jars.flink, 'lib')}/*`,
        'dev.pipec.local.PipecFlinkLocal',
      ],
      env: { FLINK_CONF_DIR: confDir },
      cwd: paths.root,
      logFile: join(paths.logs, 'flink.log'),
    };
  },

  checks(config) {
    return [
      {
        service: 'flink',
        port: 'flink_rest',
        probe: () =>
          httpProbe(`http://127.0.0.1:${config.ports.flink_rest}/overview`, (status, body) => {
            if (status !== 200) return `HTTP ${status}`;
            const tms = (JSON.parse(body) as { taskmanagers?: number }).taskmanagers ?? 0;
            return tms > 0 ? undefined : 'no TaskManager registered yet';
          }),
      },
      { service: 'sql-gateway', port: 'sql_gateway', probe: () => httpProbe(`http://127.0.0.1:${config.ports.sql_gateway}/v1/info`) },
    ];
  },
};
