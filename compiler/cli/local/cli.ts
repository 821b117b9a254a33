/**
 * `pipec local up|down|status|logs|deploy|produce|tail …`: the local stack, and the loop of trying a project on it.
 * Exit codes: 0 ok; 1 a service failed or is not healthy, the stack is not running, a deploy failed, a name is
 * unknown, a record does not fit (compile errors: 1, as `pipec compile`); 2 usage (or configuration, as
 * `pipec compile`). Errors print message + hint, no stack.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { escapeControls } from '../../diagnostics/user-text.ts';
import { LOCAL_COMMANDS, type LocalCommand } from '../../../local/cli-words.ts';
import type { LocalStackConfig } from '../../config/local-stack.ts';
import { loadLocalConfigFile } from '../../../local/config.ts';
import { DEFAULT_FLINK_LINE, FLINK_LINE_NAMES, flinkLineSchema, type FlinkLine } from '../../../stdlib/flink-lines.ts';
import { isLocalStackError } from '../../../local/errors.ts';
import type { LocalStackOptions, ServiceStatus, UpProgress } from '../../../local/index.ts';
import { down, logs, status, up } from '../../../local/index.ts';
import type { ServiceName } from '../../../local/services/types.ts';
import { serviceNames } from '../../../local/services/types.ts';
import type { ResetStart } from '../../../targets/flink-sql/reset-start.ts';

type Command = LocalCommand;

export const usage = `usage: pipec local <command> [options]

commands:
  up                      start Kafka, Kafka Connect (Debezium), Flink + SQL Gateway, Apicurio Registry, PostgreSQL
  down                    stop what \`up\` started and delete the stack's data (logs are kept)
  status                  show each service: pid, port, health, memory
  logs <service>          print the last lines of a service's log (${serviceNames.join(', ')})
  deploy [paths…]         compile the project (as \`pipec compile\`) and apply the build to the running stack:
                          topics, subjects, connectors, Flink jobs; unchanged items are left alone
  produce <name> [file|-] write records to a source (its name or topic): YAML or JSON rows, as in test files,
                          from the file or stdin, encoded in the source's format (Avro with the registry's schema)
  tail <name>             print the rows of a sink or source (its name, or any topic) as they arrive; Ctrl-C stops

options:
  --flink ${FLINK_LINE_NAMES.join('|').padEnd(14)}  with up: the Flink line to start (default: local.flink in pipec.yaml, else ${DEFAULT_FLINK_LINE})
  --config <file>         the pipec.yaml whose \`local:\` section to use (default: ./pipec.yaml if present)
  --lines <n>             with logs: how many lines (default 200)
  --env <name>            with deploy: the environment of pipec.yaml to compile
  --allow-state-reset     with deploy: a job change that cannot keep its state starts from empty state
  --reset-start <from>    with deploy: where such a job reads its sources from: committed-offsets (default: where
                          the old job stopped) or startup (each source's \`startup\`, as a first deploy)
  --from-beginning        with tail: every record of the topic, not only new ones
  --max <n>               with tail: stop after n records
  -h, --help              this help

exit codes: 0 ok; 1 a service is not healthy, the stack is not running, a deploy failed, an unknown name, a record
that does not fit (or compile errors); 2 usage or configuration errors
`;

/** What asks for the usage instead of a command: it is printed on stdout, exit 0. */
const HELP: readonly string[] = ['--help', '-h', 'help'];

export interface Parsed {
  command: Command;
  service: ServiceName | undefined;
  flink: FlinkLine | undefined;
  configFile: string | undefined;
  lines: number;
  env: string | undefined;
  allowStateReset: boolean;
  resetStart: ResetStart;
  fromBeginning: boolean;
  max: number | undefined;
  /** deploy: paths; produce: name [file]; tail: name. */
  positionals: string[];
}

const POSITIONALS: Readonly<Record<Command, { min: number; max: number; what: string }>> = {
  up: { min: 0, max: 0, what: '' },
  down: { min: 0, max: 0, what: '' },
  status: { min: 0, max: 0, what: '' },
  logs: { min: 0, max: 0, what: '' },
  deploy: { min: 0, max: Infinity, what: 'paths' },
  produce: { min: 1, max: 2, what: 'a source name or topic, then a file or - (default: stdin)' },
  tail: { min: 1, max: 1, what: 'a sink or source name, or a topic' },
};

/** The options each command takes (--config and --help: all). */
const OPTIONS_OF: Readonly<Record<string, readonly Command[]>> = {
  '--flink': ['up'],
  '--lines': ['logs'],
  '--env': ['deploy'],
  '--allow-state-reset': ['deploy'],
  '--reset-start': ['deploy'],
  '--from-beginning': ['tail'],
  '--max': ['tail'],
};

function positiveNumber(text: string | undefined, flag: string): number | string {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : `${flag} takes a positive number`;
}

export function parseArgs(argv: readonly string[]): Parsed | string {
  const [command, ...rest] = argv;
  if (command === undefined || HELP.includes(command)) return command === undefined ? 'missing command' : '';
  if (!(LOCAL_COMMANDS as readonly string[]).includes(command)) return `unknown command: ${command}`;
  const cmd = command as Command;
  const parsed: Parsed = { command: cmd, service: undefined, flink: undefined, configFile: undefined, lines: 200, env: undefined, allowStateReset: false, resetStart: 'committed-offsets', fromBeginning: false, max: undefined, positionals: [] };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? rest[++i];
    const only = OPTIONS_OF[flag];
    if (only && !only.includes(cmd)) return `${flag} only applies to ${only.join(', ')}`;
    switch (flag) {
      case '--flink': {
        const v = flinkLineSchema.safeParse(value());
        if (!v.success) return `--flink takes ${FLINK_LINE_NAMES.join(' or ')}`;
        parsed.flink = v.data;
        break;
      }
      case '--config':
        parsed.configFile = value();
        if (!parsed.configFile) return '--config takes a file';
        break;
      case '--lines': {
        const n = positiveNumber(value(), '--lines');
        if (typeof n === 'string') return n;
        parsed.lines = n;
        break;
      }
      case '--max': {
        const n = positiveNumber(value(), '--max');
        if (typeof n === 'string') return n;
        parsed.max = n;
        break;
      }
      case '--env':
        parsed.env = value();
        if (!parsed.env) return '--env takes an environment name';
        break;
      case '--allow-state-reset':
        parsed.allowStateReset = true;
        break;
      case '--reset-start': {
        const v = value();
        if (v !== 'committed-offsets' && v !== 'startup') return '--reset-start takes committed-offsets or startup';
        parsed.resetStart = v;
        break;
      }
      case '--from-beginning':
        parsed.fromBeginning = true;
        break;
      case '-h':
      case '--help':
        return '';
      default:
        if (cmd === 'logs' && !parsed.service && (serviceNames as readonly string[]).includes(arg)) parsed.service = arg as ServiceName;
        else if ((arg === '-' || !arg.startsWith('-')) && parsed.positionals.length < POSITIONALS[cmd].max) parsed.positionals.push(arg);
        else return `unexpected argument: ${arg}`;
    }
  }
  if (cmd === 'logs' && !parsed.service) return `logs needs a service: ${serviceNames.join(', ')}`;
  if (parsed.positionals.length < POSITIONALS[cmd].min) return `${cmd} needs ${POSITIONALS[cmd].what}`;
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
    if (parsed) process.stderr.write(`pipec local: ${escapeControls(parsed)}\n\n${usage}`);
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
      case 'deploy':
        return await (await import('./commands.ts')).runDeploy(opts, { paths: parsed.positionals, env: parsed.env, allowStateReset: parsed.allowStateReset, resetStart: parsed.resetStart });
      case 'produce':
        return await (await import('./commands.ts')).runProduce(opts, parsed.positionals[0] ?? '', parsed.positionals[1] ?? '-');
      case 'tail':
        return await (await import('./commands.ts')).runTail(opts, parsed.positionals[0] ?? '', { fromBeginning: parsed.fromBeginning, max: parsed.max });
    }
  } catch (e) {
    if (isLocalStackError(e)) {
      // Messages name topics, columns and values from the user's files and records: no control reaches the terminal.
      const lines = (text: string): string => text.split('\n').map(escapeControls).join('\n');
      process.stderr.write(`pipec local: ${lines(e.message)}\n  hint: ${lines(e.hint)}\n`);
      return 1;
    }
    // Not one of ours: still no stack trace at the CLI, but enough to report it.
    process.stderr.write(`pipec local: unexpected error: ${escapeControls((e as Error).message ?? String(e))}\n`);
    return 1;
  }
}
