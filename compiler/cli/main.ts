/**
 * The `pipec` command line, parsed by commander: per-command `--help`, did-you-mean for commands and options.
 * Exit codes: 0 clean, 1 errors in the input, 2 usage or configuration errors.
 * User errors are diagnostics; an unexpected exception is reported as an internal error, never as a raw stack.
 */
import module from 'node:module';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { completionScript, SHELLS, type Shell } from './completion.ts';
import { LOCAL_COMMANDS } from '../../local/cli-words.ts';
import { escapeControls } from '../diagnostics/user-text.ts';
import { InternalCompilerError } from '../util/invariant.ts';
import type * as Commands from './commands.ts';
import type { CommonOptions } from './commands.ts';
import { printer, type OutputFormat } from './output.ts';
import { useColor } from './style.ts';
import { VERSION } from './version.ts';

const EXIT_USAGE = 2;

/** The options every project command takes, as commander parses them. */
interface Flags {
  readonly config?: string;
  readonly env?: string;
  readonly format?: OutputFormat;
  readonly frozen?: boolean;
  readonly offline?: boolean;
  readonly color?: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly out?: string;
  readonly allowEmpty?: boolean;
  readonly maxWarnings?: number;
  readonly check?: boolean;
  readonly watch?: boolean;
  readonly previous?: string;
  readonly allowStateReset?: boolean;
  readonly filter?: string;
  readonly update?: boolean;
  readonly junit?: string;
}

const EXAMPLES = `
Examples:
  pipec init my-project                  a new project: pipec.yaml, a schema, a pipeline, a CI workflow
  pipec check examples                   check the example project (offline, schemas from examples/schemas)
  pipec check --env prod --frozen        check against the production registry, failing on drift from pipec.lock
  pipec compile --out build/             compile every pipeline of the project in the current folder
  pipec fmt --check                      fail CI when a file is not formatted (prints the diff)
  pipec test examples                    run the example project's pipeline tests on a real Flink
  pipec explain examples/missed_payments.pipe
  pipec local up --flink 2.2             start the local stack with Flink 2.2
  pipec local deploy                     compile the project and run it on the local stack (then: produce, tail)
`;

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('takes a whole number (0 or more)');
  return Number(value);
}

/** --config, --env, the output options: what every command reading a project accepts. */
function projectOptions(command: Command, schemas = true): Command {
  command
    .option('--config <file>', 'project configuration (default: pipec.yaml in the path given, or above it)')
    .option('--env <name>', 'environment of pipec.yaml to use (overrides per environment)');
  if (schemas) {
    command
      .option('--frozen', 'fail when the registry no longer matches pipec.lock')
      .option('--offline', 'read the local schema folder even when pipec.yaml names a registry');
  }
  return outputOptions(command);
}

function outputOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'human, json (one document on stdout), or github (annotations; the default under GitHub Actions)').choices(['human', 'json', 'github']))
    .option('-q, --quiet', 'print errors only')
    .option('--verbose', 'also print what pipec did (project, files, timings) on stderr')
    .option('--color', 'colour the output (default: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it)')
    .option('--no-color', 'never colour the output');
}

/** The `pipec` program: every command, its options and its help. `run` receives the chosen command's exit code. */
export function program(run: (code: Promise<number>) => void): Command {
  const root = new Command('pipec')
    .description('streaming pipelines as code: .pipe files → Flink SQL jobs + Kafka Connect configs')
    .usage('<command> [paths…] [options]')
    .version(`pipec ${VERSION}`, '-v, --version', 'the version')
    .helpOption('-h, --help', 'help for pipec, or for a command (pipec check --help)')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .addHelpText('after', EXAMPLES);
  const act = (command: Command, body: (args: string[], flags: Flags) => Promise<number>): Command =>
    command.action((...params: unknown[]) => {
      const self = params[params.length - 1] as Command;
      run(body(self.args.length > 0 ? (params.slice(0, -2).flat() as string[]) : [], self.opts<Flags>()));
    });

  act(
    outputOptions(root.command('init').summary('create a project: pipec.yaml, a schema, a pipeline, a CI workflow').argument('[dir]', 'the folder of the new project (default: the current folder)')),
    async (args, flags) => {
      const { runInit } = await import('./init.ts');
      return runInit(args[0] ?? '.', (await common(args, flags)).print);
    },
  );
  act(
    projectOptions(root.command('check').summary('parse and type-check pipelines against their schemas').argument('[paths...]', '.pipe files or folders (default: the project of the current folder)'))
      .description('Parse and type-check pipelines against their schemas. Exit 0 clean, 1 errors in the input (or more warnings than --max-warnings), 2 usage or configuration errors.')
      .option('--watch', 'check again on every change to a .pipe file, pipec.yaml or a schema')
      .option('--max-warnings <n>', 'fail (exit 1) when there are more than n warnings (CI)', wholeNumber),
    async (paths, flags) => {
      const options = await common(paths, flags);
      if (!flags.watch) return (await commands()).runCheck(options, 'check');
      finish = undefined; // every run of the watch ends its own output
      return watchUntilStopped(options);
    },
  );
  act(
    projectOptions(root.command('compile').summary('check, then write artifacts to the output folder').argument('[paths...]', '.pipe files or folders'))
      .description('Check, then write per pipeline a Flink job, its plan and Kafka Connect configs, and one manifest.json, atomically into the output folder.')
      .option('--out <dir>', "output folder (default: the config's `out`, build/): absent, empty, or a build pipec wrote; replaced by every compile")
      .option('--allow-empty', 'write a build even when no pipeline has a job')
      .option('--max-warnings <n>', 'fail (exit 1) when there are more than n warnings (CI)', wholeNumber),
    async (paths, flags) => (await commands()).runCheck(await common(paths, flags), 'compile'),
  );
  act(
    projectOptions(root.command('test').summary('run the pipeline tests (*.test.yaml) on a real Flink (MiniCluster, no Docker)').argument('[paths...]', 'test files or folders (default: the project of the current folder)'))
      .description('Run the pipeline tests (*.test.yaml: given records per source, expected rows per sink) on a real Flink MiniCluster. Exit 0 all passed, 1 a test failed or the input has errors, 2 usage or configuration errors.')
      .option('--filter <text>', 'only tests whose name or file contains the text')
      .option('--update', "write what failing tests' sinks received into their expect blocks")
      .option('--junit <file>', 'also write JUnit XML'),
    async (paths, flags) => {
      const { runTests } = await import('./test.ts');
      const options = await common(paths, flags);
      return runTests({ ...options, format: formatOf(flags), filter: flags.filter, update: flags.update ?? false, junit: flags.junit });
    },
  );
  act(
    outputOptions(root.command('fmt').summary('format .pipe files in place').argument('[paths...]', '.pipe files or folders'))
      .description('Format .pipe files in place (keeps comments; idempotent). With --check, change nothing and print the diff of each file that is not formatted.')
      .option('--config <file>', 'project configuration (optional: fmt also works without a project)')
      .option('--check', 'change nothing; exit 1 and print a diff when a file is not formatted'),
    async (paths, flags) => (await commands()).runFmt(await common(paths, flags), flags.check ?? false),
  );
  act(
    projectOptions(root.command('explain').summary("print every stream's columns, types, time attributes and changelog mode").argument('<file>', 'a .pipe file: a pipeline, or a library of sources and streams')),
    async (paths, flags) => (await commands()).runExplain(await common(paths, flags)),
  );
  act(
    projectOptions(root.command('diff').summary('what a deploy would change since the previous build, and whether jobs keep their state').argument('[paths...]', '.pipe files or folders'))
      .requiredOption('--previous <dir>', 'the build folder deployed before')
      .option('--allow-state-reset', 'a job change that loses state is a warning, not an error'),
    async (paths, flags) => {
      const { runDiff } = await import('./diff.ts');
      return runDiff({ ...(await common(paths, flags)), previous: flags.previous ?? '', allowStateReset: flags.allowStateReset ?? false });
    },
  );
  const schemas = root.command('schemas').summary("the registry's schemas of the project").helpCommand(false);
  act(
    projectOptions(schemas.command('pull').summary("write the registry's schemas of every subject read into the local schema folder").argument('[paths...]', '.pipe files or folders'), false),
    async (paths, flags) => (await commands()).runSchemasPull(await common(paths, flags)),
  );
  root
    .command('completion')
    .summary('print a shell completion script: pipec completion bash|zsh')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell, root));
      run(Promise.resolve(0));
    });
  // `local` parses its own arguments (local/cli.ts beside this file); it is listed here for the help and did-you-mean.
  root.command('local').summary('run the real engines locally (Kafka, Connect, Flink, Schema Registry, PostgreSQL); deploy, feed and tail a project on them').usage(`${LOCAL_COMMANDS.join('|')} [arguments] [options]`);
  return root;
}

async function commands(): Promise<typeof Commands> {
  // V8's code cache for the modules loaded from here on (the whole compiler and its dependencies, type-stripped
  // sources included), kept in the OS temp folder; it cuts start-up by about a third. NODE_DISABLE_COMPILE_CACHE=1
  // turns it off. The commands are imported only now so that --help and --version load none of it.
  module.enableCompileCache?.();
  return import('./commands.ts');
}

let finish: (() => void) | undefined;

function formatOf(flags: Flags): OutputFormat {
  return flags.format ?? (process.env['GITHUB_ACTIONS'] === 'true' ? 'github' : 'human');
}

async function common(paths: readonly string[], flags: Flags): Promise<CommonOptions> {
  const format = formatOf(flags);
  const print = printer(format, process.stdout, process.stderr, { quiet: flags.quiet, verbose: flags.verbose, color: useColor(flags.color, process.stderr) });
  finish = () => print.finish();
  return {
    paths,
    config: flags.config,
    env: flags.env,
    frozen: flags.frozen ?? false,
    offline: flags.offline ?? false,
    out: flags.out,
    allowEmpty: flags.allowEmpty,
    maxWarnings: flags.maxWarnings,
    print,
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'local') {
    const { runLocalCommand } = await import('./local/cli.ts');
    return runLocalCommand(rest);
  }
  let code: Promise<number> | undefined;
  const root = program((c) => {
    code = c;
  });
  if (argv.length === 0) {
    process.stdout.write(root.helpInformation() + EXAMPLES);
    return EXIT_USAGE;
  }
  for (const c of [root, ...allCommands(root)]) {
    c.exitOverride().configureOutput({
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`pipec: ${text.replace(/^error: /, '').trimEnd().split('\n').map(escapeControls).join('\n')}\nRun \`pipec ${c === root ? '' : `${fullName(c)} `}--help\` for usage.\n`),
    });
  }
  try {
    await root.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    throw e;
  }
  if (!code) {
    // A command with subcommands (`pipec schemas`) given none: its help.
    return EXIT_USAGE;
  }
  try {
    return await code;
  } finally {
    finish?.();
  }
}

function allCommands(c: Command): Command[] {
  return c.commands.flatMap((sub) => [sub, ...allCommands(sub)]);
}

function fullName(c: Command): string {
  return c.parent && c.parent.parent ? `${fullName(c.parent)} ${c.name()}` : c.name();
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
