/**
 * The `pipec` command line. Exit codes: 0 clean, 1 errors in the input, 2 usage or configuration errors.
 * User errors are diagnostics; an unexpected exception is reported as an internal error, never as a raw stack.
 */
import module from 'node:module';
import { parseArgs } from 'node:util';
import { escapeControls } from '../diagnostics/user-text.ts';
import { InternalCompilerError } from '../util/invariant.ts';
import type { CommonOptions } from './commands.ts';
import { printer, type OutputFormat } from './output.ts';
import { VERSION } from './version.ts';

const HELP = `pipec ${VERSION} — streaming pipelines as code: .pipe files → Flink SQL jobs + Kafka Connect configs

Usage: pipec <command> [paths…] [options]

Commands:
  check [paths…]           parse and type-check pipelines against their schemas
  compile [paths…]         check, then write artifacts to the output folder
  fmt [paths…]             format .pipe files in place (--check: only report files that would change)
  test [paths…]            run the pipeline tests (*.test.yaml) on a real Flink (MiniCluster, no Docker)
  explain <file>           print every stream's columns, types, time attributes and changelog mode
  diff --previous <build> [paths…]
                           what a deploy would change since the previous build, and whether jobs keep their state
  schemas pull             write the registry's schemas of every subject read into the local schema folder
  local up|down|status|logs [service]
                           run the real engines locally (Kafka, Connect, Flink, Schema Registry, PostgreSQL)

Options:
  --config <file>          project configuration (default: pipec.yaml in the path given, or above it)
  --env <name>             environment of pipec.yaml to use (overrides per environment)
  --format <f>             human (default), json, or github (annotations; the default under GitHub Actions)
  --frozen                 fail when the registry no longer matches pipec.lock
  --offline                read the local schema folder even when pipec.yaml names a registry
  --out <dir>              output folder of compile (default: the config's \`out\`, build/): absent, empty,
                           or a build pipec wrote; replaced by every compile
  --allow-empty            with compile: write a build even when no pipeline has a job
  --check                  with fmt: change nothing, exit 1 if a file is not formatted
  --watch                  with check: check again on every change to a .pipe file, pipec.yaml or a schema
  --filter <text>          with test: only tests whose name or file contains the text
  --update                 with test: write what failing tests' sinks received into their expect blocks
  --junit <file>           with test: also write JUnit XML
  --previous <dir>         with diff: the build folder deployed before
  --allow-state-reset      with diff: a job change that loses state is a warning, not an error
  --max-warnings <n>       with check and compile: fail (exit 1) when there are more than n warnings (CI)
  -h, --help               this help
  -v, --version            the version

Examples:
  pipec check examples                   check the example project (offline, schemas from examples/schemas)
  pipec check --env prod --frozen        check against the production registry, failing on drift from pipec.lock
  pipec compile --out build/             compile every pipeline of the project in the current folder
  pipec fmt --check                      fail CI when a file is not formatted
  pipec test examples                    run the example project's pipeline tests
  pipec explain examples/missed_payments.pipe
  pipec local up --flink 2.2             start the local stack with Flink 2.2
`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'local') {
    const { runLocalCommand } = await import('../../local/cli.ts');
    return runLocalCommand(rest);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        env: { type: 'string' },
        format: { type: 'string' },
        frozen: { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
        out: { type: 'string' },
        check: { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
        previous: { type: 'string' },
        filter: { type: 'string' },
        update: { type: 'boolean', default: false },
        junit: { type: 'string' },
        'allow-state-reset': { type: 'boolean', default: false },
        'allow-empty': { type: 'boolean', default: false },
        'max-warnings': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (e) {
    return usageError(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`pipec ${VERSION}\n`);
    return 0;
  }
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const format = values.format ?? (process.env['GITHUB_ACTIONS'] === 'true' ? 'github' : 'human');
  if (format !== 'human' && format !== 'json' && format !== 'github') return usageError(`--format takes human, json or github, not "${format}"`);
  const [verb, ...paths] = positionals;
  if (values.watch && verb !== 'check') return usageError('--watch works with check only');
  const maxWarnings = values['max-warnings'];
  if (maxWarnings !== undefined && !/^\d+$/.test(maxWarnings)) return usageError(`--max-warnings takes a whole number (0 or more), not "${maxWarnings}"`);
  const options: CommonOptions = {
    paths,
    config: values.config,
    env: values.env,
    frozen: values.frozen,
    offline: values.offline,
    out: values.out,
    allowEmpty: values['allow-empty'],
    maxWarnings: maxWarnings === undefined ? undefined : Number(maxWarnings),
    print: printer(format as OutputFormat),
  };
  // V8's code cache for the modules loaded from here on (the whole compiler and its dependencies, type-stripped
  // sources included), kept in the OS temp folder; it cuts start-up by about a third. NODE_DISABLE_COMPILE_CACHE=1
  // turns it off. The commands are imported only now so that --help and --version load none of it.
  module.enableCompileCache?.();
  const { runCheck, runFmt, runExplain, runSchemasPull } = await import('./commands.ts');
  switch (verb) {
    case 'check':
      return values.watch ? watchUntilStopped(options) : runCheck(options, 'check');
    case 'compile':
      return runCheck(options, 'compile');
    case 'fmt':
      return runFmt(options, values.check);
    case 'test': {
      const { runTests } = await import('./test.ts');
      return runTests({ ...options, format: format as OutputFormat, filter: values.filter, update: values.update, junit: values.junit });
    }
    case 'explain':
      if (paths.length !== 1) return usageError('explain takes one .pipe file');
      return runExplain(options);
    case 'diff': {
      if (!values.previous) return usageError('diff needs --previous <build folder>');
      const { runDiff } = await import('./diff.ts');
      return runDiff({ ...options, previous: values.previous, allowStateReset: values['allow-state-reset'] });
    }
    case 'schemas':
      if (paths[0] !== 'pull') return usageError('schemas takes a subcommand: pipec schemas pull');
      return runSchemasPull({ ...options, paths: paths.slice(1) });
    default:
      return usageError(`unknown command "${verb}"`);
  }
}

/** `check --watch` runs until Ctrl-C (SIGINT) or SIGTERM, then exits with the last check's code. */
async function watchUntilStopped(options: CommonOptions): Promise<number> {
  const { runWatch } = await import('./watch.ts');
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runWatch(options, stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function usageError(message: string): number {
  process.stderr.write(`pipec: ${escapeControls(message)}\nRun \`pipec --help\` for usage.\n`);
  return 2;
}

/** Runs the CLI on this process's arguments and sets its exit code. */
export function runCli(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const bug = e instanceof InternalCompilerError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
      process.stderr.write(`pipec: ${escapeControls(bug)}\nThis is a bug in pipec; please report it with the input that caused it.\n`);
      if (process.env['PIPEC_DEBUG'] && e instanceof Error) process.stderr.write(`${e.stack ?? ''}\n`);
      process.exitCode = 3;
    },
  );
}

if (import.meta.main) runCli();
