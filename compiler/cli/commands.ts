/** The CLI's commands: load (edge), run the pure core, print. Each returns the process exit code. */
import path from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { checkProgram, collectSubjects, compileProgram } from '../compile.ts';
import { writeBuild } from '../driver/write-build.ts';
import { checkTestFiles } from '../driver/test-files.ts';
import type { PipelinePlan } from '../plan/plan.ts';
import { VERSION } from './version.ts';
import { displayPath, loadProject, projectPath, type LoadedProject } from '../driver/project.ts';
import { resolveSchemas } from '../driver/schemas.ts';
import { formatSource } from '../format/format.ts';
import { writeTextAtomic } from '../util/write-atomic.ts';
import { explain } from '../explain/explain.ts';
import type { Printer } from './output.ts';
import type { ParsedFile } from '../../grammar/index.ts';
import type { SourceFile } from '../source/source.ts';
import { loadProjectTemplates } from '../../targets/kafka-connect/templates.ts';

export interface CommonOptions {
  readonly paths: readonly string[];
  readonly config: string | undefined;
  readonly env: string | undefined;
  readonly frozen: boolean;
  readonly offline: boolean;
  readonly out: string | undefined;
  readonly print: Printer;
  /** Watch mode's parse cache; otherwise every file is parsed. */
  readonly parse?: ((source: SourceFile) => ParsedFile) | undefined;
}

const EXIT_OK = 0;
const EXIT_INPUT = 1;
const EXIT_USAGE = 2;

/** Loading failed before any `.pipe` file could be judged: configuration problems are usage errors. */
function loadFailed(project: LoadedProject, print: Printer): number | undefined {
  if (project.config && !hasErrors(project.diagnostics)) return undefined;
  print.diagnostics(project.diagnostics, project.sources);
  return project.config ? EXIT_INPUT : EXIT_USAGE;
}

export async function runCheck(options: CommonOptions, mode: 'check' | 'compile'): Promise<number> {
  const project = await loadProject(options);
  const failed = loadFailed(project, options.print);
  if (failed !== undefined || !project.config) return failed ?? EXIT_USAGE;
  const config = project.config;
  const syntax = project.parsed.flatMap((p) => p.diagnostics);
  let diagnostics: readonly Diagnostic[];
  let output: ReturnType<typeof compileProgram>['output'];
  let pipelines: readonly PipelinePlan[] = [];
  if (hasErrors(syntax)) {
    diagnostics = syntax;
  } else {
    const schemas = await resolveSchemas(config, collectSubjects(project.parsed, config), { offline: options.offline, frozen: options.frozen });
    const result = compileProgram(project.parsed, config, schemas.lookup, `pipec ${VERSION}`, { connectorTemplates: await loadProjectTemplates(config.root), planFiles: mode === 'compile', sourcePath: projectPath(config.root) });
    diagnostics = [...schemas.diagnostics, ...result.diagnostics];
    output = hasErrors(schemas.diagnostics) ? undefined : result.output;
    pipelines = result.plan?.pipelines ?? [];
  }
  // Test files (*.test.yaml) are checked with the pipelines they test: a misspelled column in a test fails check too.
  const testRoots = options.paths.length > 0 ? options.paths : [config.root];
  const tests = output ? await checkTestFiles(testRoots, pipelines, displayPath) : { files: [], diagnostics: [] };
  diagnostics = [...diagnostics, ...tests.diagnostics];
  const testFiles = new Map(tests.files.map((f) => [f.path, f]));
  options.print.diagnostics([...project.diagnostics, ...diagnostics], (p) => testFiles.get(p) ?? project.sources(p));
  const files = project.parsed.length;
  if (hasErrors(diagnostics) || hasErrors(project.diagnostics) || !output) return EXIT_INPUT;
  if (mode === 'check') {
    options.print.info(`checked ${files} file${files === 1 ? '' : 's'}, ${output.manifest.pipelines.length} pipeline${output.manifest.pipelines.length === 1 ? '' : 's'}: no errors`);
    return EXIT_OK;
  }
  const out = path.resolve(options.out ?? path.join(config.root, config.out));
  await writeBuild(out, output.artifacts);
  options.print.info(`compiled ${output.manifest.pipelines.length} pipeline${output.manifest.pipelines.length === 1 ? '' : 's'} into ${displayPath(out)}/ (${output.artifacts.length} files)`);
  return EXIT_OK;
}

export async function runFmt(options: CommonOptions, checkOnly: boolean): Promise<number> {
  const project = await loadProject(options);
  const failed = loadFailed(project, options.print);
  if (failed !== undefined) return failed;
  const syntax = project.parsed.flatMap((p) => p.diagnostics).filter((d) => d.severity === 'error');
  if (syntax.length > 0) {
    options.print.diagnostics(syntax, project.sources);
    return EXIT_INPUT;
  }
  const unformatted: string[] = [];
  for (const parsed of project.parsed) {
    // formatSource re-parses its output and refuses to change what the file means.
    const formatted = formatSource(parsed.source);
    if (!formatted.ok || !formatted.changed) continue;
    unformatted.push(parsed.source.path);
    if (!checkOnly) await writeTextAtomic(parsed.source.path, formatted.text);
  }
  for (const f of unformatted) options.print.info(checkOnly ? `not formatted: ${f}` : `formatted ${f}`);
  return checkOnly && unformatted.length > 0 ? EXIT_INPUT : EXIT_OK;
}

export async function runExplain(options: CommonOptions): Promise<number> {
  const project = await loadProject(options);
  const failed = loadFailed(project, options.print);
  if (failed !== undefined || !project.config) return failed ?? EXIT_USAGE;
  const config = project.config;
  const syntax = project.parsed.flatMap((p) => p.diagnostics);
  if (hasErrors(syntax)) {
    options.print.diagnostics(syntax, project.sources);
    return EXIT_INPUT;
  }
  const schemas = await resolveSchemas(config, collectSubjects(project.parsed, config), { offline: options.offline, frozen: options.frozen });
  const result = checkProgram(project.parsed, config, schemas.lookup);
  options.print.diagnostics([...schemas.diagnostics, ...result.diagnostics], project.sources);
  if (!result.program) return EXIT_INPUT;
  const target = options.paths[0] ?? '';
  process.stdout.write(explain(result.program, target));
  return hasErrors(result.diagnostics) ? EXIT_INPUT : EXIT_OK;
}

export async function runSchemasPull(options: CommonOptions): Promise<number> {
  const project = await loadProject(options);
  const failed = loadFailed(project, options.print);
  if (failed !== undefined || !project.config) return failed ?? EXIT_USAGE;
  const { pullSchemas } = await import('../driver/schemas.ts');
  const result = await pullSchemas(project.config, collectSubjects(project.parsed, project.config));
  options.print.diagnostics(result.diagnostics, project.sources);
  for (const line of result.written) options.print.info(`wrote ${line}`);
  return hasErrors(result.diagnostics) ? EXIT_INPUT : EXIT_OK;
}
