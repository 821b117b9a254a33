/**
 * `pipec local up|down|status|logs [service] [--flink 1.20|2.2] [--config pipec.yaml]`.
 * Exit codes: 0 ok, 1 a service failed (or is not healthy), 2 usage. Errors print message + hint, no stack.
 * Also runnable on its own: `bin/with-node node local/cli.ts up`.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FlinkLine, LocalStackConfig } from './config.ts';
import { flinkLineSchema, loadLocalConfigFile } from './config.ts';
import { isLocalStackError } from './errors.ts';
import type { LocalStackOptions, ServiceStatus, UpProgress } from './index.ts';
import { down, logs, status, up } from './index.ts';
import type { ServiceName } from './services/types.ts';
import { serviceNames } from './services/types.ts';

const usage = `usage: pipec local <command> [options]

commands:
  up                 start Kafka, Kafka Connect (Debezium), Flink + SQL Gateway, Apicurio Registry, PostgreSQL
  down               stop what \`up\` started and delete the stack's data (logs are kept)
  status             show each service: pid, port, health, memory
  logs <service>     print the last lines of a service's log (${serviceNames.join(', ')})

options:
  --flink 1.20|2.2   the Flink line to start (default: local.flink in pipec.yaml, else 1.20)
  --config <file>    the pipec.yaml whose \`local:\` section to use (default: ./pipec.yaml if present)
  --lines <n>        with logs: how many lines (default 200)
`;

/** What asks for the usage instead of a command: it is printed on stdout, exit 0. */
const HELP: readonly string[] = ['--help', '-h', 'help'];

type Command = 'up' | 'down' | 'status' | 'logs';

interface Parsed {
  command: Command;
  service: ServiceName | undefined;
  flink: FlinkLine | undefined;
  configFile: string | undefined;
  lines: number;
}

function parseArgs(argv: string[]): Parsed | string {
  const [command, ...rest] = argv;
  if (command === undefined || HELP.includes(command)) return command === undefined ? 'missing command' : '';
  if (command !== 'up' && command !== 'down' && command !== 'status' && command !== 'logs') return `unknown command: ${command}`;
  const parsed: Parsed = { command, service: undefined, flink: undefined, configFile: undefined, lines: 200 };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? rest[++i];
    switch (flag) {
      case '--flink': {
        const v = flinkLineSchema.safeParse(value());
        if (!v.success) return '--flink takes 1.20 or 2.2';
        parsed.flink = v.data;
        break;
      }
      case '--config':
        parsed.configFile = value();
        if (!parsed.configFile) return '--config takes a file';
        break;
      case '--lines': {
        const n = Number(value());
        if (!Number.isInteger(n) || n <= 0) return '--lines takes a positive number';
        parsed.lines = n;
        break;
      }
      case '-h':
      case '--help':
        return '';
      default:
        if (command === 'logs' && !parsed.service && (serviceNames as readonly string[]).includes(arg)) parsed.service = arg as ServiceName;
        else return `unexpected argument: ${arg}`;
    }
  }
  if (command === 'logs' && !parsed.service) return `logs needs a service: ${serviceNames.join(', ')}`;
  if (parsed.flink && command !== 'up') return '--flink only applies to up';
  return parsed;
}

function options(p: Parsed): LocalStackOptions {
  const file = p.configFile ?? (existsSync('pipec.yaml') ? 'pipec.yaml' : undefined);
  if (!file) return p.flink ? { flink: p.flink } : {};
  const config: LocalStackConfig = loadLocalConfigFile(file);
  return { config, projectDir: dirname(resolve(file)), ...(p.flink ? { flink: p.flink } : {}) };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function progressLine(p: UpProgress): string {
  switch (p.kind) {
    case 'resolving':
      return `  jars     ${p.component}…`;
    case 'resolved':
      return `  jars     ${p.component} ${p.cached ? 'cached' : `resolved by Maven in ${seconds(p.ms)}`}`;
    case 'starting':
      return `  start    ${p.process} (pid ${p.pid})`;
    case 'waiting':
      return `  waiting  ${p.service}: ${p.reason} (${seconds(p.elapsedMs)})`;
    case 'healthy':
      return `  healthy  ${p.service} (${seconds(p.elapsedMs)})`;
    case 'running':
      return `  already running: ${p.processes.join(', ')}`;
  }
}

function table(services: ServiceStatus[]): string {
  const rows = [['service', 'pid', 'port', 'health', 'rss', 'detail']];
  for (const s of services) rows.push([s.service, s.pid ? String(s.pid) : '-', String(s.port), s.health, s.rssMb !== undefined ? `${s.rssMb} MiB` : '-', s.detail ?? '']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

export async function runLocalCommand(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    if (parsed) process.stderr.write(`pipec local: ${parsed}\n\n${usage}`);
    else process.stdout.write(usage);
    return parsed ? 2 : 0;
  }
  try {
    const opts = options(parsed);
    switch (parsed.command) {
      case 'up': {
        process.stdout.write(`pipec local up${opts.flink ? ` (Flink ${opts.flink})` : ''}\n`);
        const res = await up(opts, (p) => process.stdout.write(`${progressLine(p)}\n`));
        process.stdout.write(`\n${table(res.services)}\n\n`);
        const e = res.endpoints;
        process.stdout.write(
          [
            `${res.alreadyRunning ? 'Already running' : `Ready in ${seconds(res.elapsedMs)}`}: Flink ${res.flinkVersion}, folder ${res.dir}`,
            `  kafka            ${e.kafkaBootstrap}`,
            `  connect          ${e.connectUrl}`,
            `  flink rest       ${e.flinkRestUrl}`,
            `  sql gateway      ${e.sqlGatewayUrl}`,
            `  schema registry  ${e.schemaRegistryUrl}`,
            `  postgres         postgresql://${e.postgres.user}:${e.postgres.password}@${e.postgres.host}:${e.postgres.port}/${e.postgres.database}`,
            '',
          ].join('\n'),
        );
        return res.services.every((s) => s.health === 'healthy') ? 0 : 1;
      }
      case 'down': {
        const res = await down(opts);
        if (res.stopped.length === 0) process.stdout.write(`pipec local: nothing to stop in ${res.dir}\n`);
        for (const s of res.stopped) process.stdout.write(`  ${s.process.padEnd(16)} pid ${s.pid}  ${s.how}\n`);
        return 0;
      }
      case 'status': {
        const res = await status(opts);
        if (!res.running) {
          process.stdout.write(`pipec local: not running (${res.dir}); start it with \`pipec local up\`\n`);
          return 1;
        }
        process.stdout.write(`Flink ${res.flink}, folder ${res.dir}\n${table(res.services)}\n`);
        return res.services.every((s) => s.health === 'healthy') ? 0 : 1;
      }
      case 'logs': {
        const res = logs(opts, parsed.service ?? 'kafka', parsed.lines);
        process.stdout.write(`==> ${res.file} <==\n${res.text}\n`);
        return 0;
      }
    }
  } catch (e) {
    if (isLocalStackError(e)) {
      process.stderr.write(`pipec local: ${e.message}\n  hint: ${e.hint}\n`);
      return 1;
    }
    // Not one of ours: still no stack trace at the CLI, but enough to report it.
    process.stderr.write(`pipec local: unexpected error: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runLocalCommand(process.argv.slice(2)).then((code) => process.exit(code));
}
