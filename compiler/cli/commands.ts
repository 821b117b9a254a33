/** The CLI's commands: load (edge), run the pure core, print. Each returns the process exit code. */
import path from 'node:path';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { manageWarnings } from '../diagnostics/manage.ts';
import { CONFIG_FILE } from '../config/load.ts';
import { checkOutFolder } from '../driver/out-folder.ts';
import { checkProgram, collectSubjects, compileStreaming } from '../compile.ts';
import { writeBuild } from '../driver/write-build.ts';
import { checkTestFiles } from '../driver/test-files.ts';
import type { PipelinePlan } from '../plan/plan.ts';
import { VERSION } from './version.ts';
import { displayPath, loadProject, projectPath, sourcePathIn, type LoadedProject } from '../driver/project.ts';
import { resolveSchemas } from '../driver/schemas.ts';
import { createTwoFilesPatch } from 'diff';
import { formatSource } from '../format/format.ts';
import { writeTextAtomic } from '../util/write-atomic.ts';
import { explainProgram, renderExplain } from '../explain/explain.ts';
import type { Printer } from './output.ts';
import type { ParsedFile } from '../ast/parse.ts';
import type { SourceFile } from '../source/source.ts';
import { loadProjectTemplates } from '../../targets/kafka-connect/templates.ts';
import type { Artifact } from '../../targets/emit.ts';

export interface CommonOptions {
  readonly paths: readonly string[];
  readonly config: string | undefined;
  readonly env: string | undefined;
  readonly frozen: boolean;
  readonly offline: boolean;
  readonly out: string | undefined;
  /** With compile: write a build even when no pipeline has a job. */
  readonly allowEmpty?: boolean | undefined;
  /** Fail (exit 1) when a check or compile has more warnings than this (CI). */
  readonly maxWarnings?: number | undefined;
  readonly print: Printer;
  /** Watch mode's parse cache; otherwise every file is parsed. */
  readonly parse?: ((source: SourceFile) => ParsedFile) | undefined;
}

const EXIT_OK = 0;
const EXIT_INPUT = 1;
const EXIT_USAGE = 2;

/**
 * Loading failed before any `.pipe` file could be judged: configuration problems are usage errors. With
 * `configOptional` (fmt), no pipec.yaml at all is no problem; a broken one still is.
 */
function loadFailed(project: LoadedProject, print: Printer, configOptional = false): number | undefined {
  const configured = project.config !== undefined || (configOptional && project.configFile === undefined);
  if (configured && !hasErrors(project.diagnostics)) return undefined;
  print.diagnostics(project.diagnostics, project);
  return configured && !project.pathsUnusable ? EXIT_INPUT : EXIT_USAGE;
}

/** `built` receives the folder a compile wrote its build to (`pipec local deploy` deploys it next). */
export async function runCheck(options: CommonOptions, mode: 'check' | 'compile', built?: (out: string) => void): Promise<number> {
  const project = await loadProject(options);
  const failed = loadFailed(project, options.print);
  if (failed !== undefined || !project.config) return failed ?? EXIT_USAGE;
  const config = project.config;
  const started = performance.now();
  options.print.detail(`project ${displayPath(config.root)}${project.configFile ? ` (${displayPath(project.configFile)})` : ''}${options.env ? `, environment ${options.env}` : ''}: ${project.parsed.length} .pipe file${project.parsed.length === 1 ? '' : 's'}`);
  const syntax = project.parsed.flatMap((p) => p.diagnostics);
  let diagnostics: readonly Diagnostic[];
  let output: ReturnType<typeof compileStreaming>['output'];
  let pipelines: readonly PipelinePlan[] = [];
  if (hasErrors(syntax)) {
    diagnostics = syntax;
  } else {
    const schemas = await resolveSchemas(config, collectSubjects(project.parsed, config), { offline: options.offline, frozen: options.frozen });
    if (schemas.configurationError) {
      // Without the registry's settings no schema is known: every other finding would be noise.
      options.print.diagnostics([...project.diagnostics, ...schemas.diagnostics], project);
      return EXIT_USAGE;
    }
    const result = compileStreaming(project.parsed, config, schemas.lookup, `pipec ${VERSION}`, { connectorTemplates: await loadProjectTemplates(config.root), planFiles: mode === 'compile', sourcePath: projectPath(config.root) });
    diagnostics = [...schemas.diagnostics, ...result.diagnostics];
    output = hasErrors(schemas.diagnostics) ? undefined : result.output;
    pipelines = result.plan?.pipelines ?? [];
  }
  // Test files (*.test.yaml) are checked with the pipelines they test: a misspelled column in a test fails check too.
  const testRoots = options.paths.length > 0 ? options.paths : [config.root];
  const tests = output ? await checkTestFiles(testRoots, pipelines, displayPath) : { files: [], diagnostics: [] };
  diagnostics = [...diagnostics, ...tests.diagnostics];
  const testFiles = new Map(tests.files.map((f) => [f.path, f]));
  const context = { sources: (p: string) => testFiles.get(p) ?? project.sources(p), fileOrder: project.fileOrder };
  const shown = manageWarnings([...project.diagnostics, ...diagnostics], project.parsed, config.rules);
  options.print.detail(`${mode === 'check' ? 'checked' : 'compiled'} in ${Math.round(performance.now() - started)} ms`);
  const files = project.parsed.length;
  if (hasErrors(shown) || !output) {
    options.print.diagnostics(shown, context);
    return EXIT_INPUT;
  }
  const tooMany = tooManyWarnings(shown, options.maxWarnings);
  if (tooMany) {
    options.print.diagnostics(shown, context);
    options.print.info(tooMany);
    return EXIT_INPUT;
  }
  if (mode === 'check') {
    options.print.diagnostics(shown, context);
    // Every file is generated (a program pipec cannot generate fails check too), and dropped as it comes.
    for (const generating = output.artifacts(); !generating.next().done; );
    options.print.result('checked', { files, pipelines: output.pipelines });
    options.print.info(`checked ${files} file${files === 1 ? '' : 's'}, ${output.pipelines} pipeline${output.pipelines === 1 ? '' : 's'}: ${options.print.clean()}`);
    return EXIT_OK;
  }
  const out = path.resolve(options.out ?? path.join(config.root, config.out));
  const refusal = await refuseOutput(out, project, config.root, output.pipelines, options.allowEmpty ?? false);
  options.print.diagnostics(refusal ? [...shown, refusal.diagnostic] : shown, context);
  if (refusal) return refusal.exit;
  // Written as they are generated: a large build is never held whole.
  let fileCount = 0;
  function* counting(files: Iterable<Artifact>): Generator<Artifact, void, undefined> {
    for (const f of files) {
      fileCount += 1;
      yield f;
    }
  }
  const written = await writeBuild(out, counting(output.artifacts()), { shown: displayPath });
  if (!written.ok) {
    options.print.diagnostics([written.diagnostic], project);
    return EXIT_USAGE;
  }
  built?.(out);
  options.print.result('build', { out: displayPath(out), pipelines: output.pipelines, files: fileCount });
  options.print.info(`compiled ${output.pipelines} pipeline${output.pipelines === 1 ? '' : 's'} into ${displayPath(out)}/ (${fileCount} files): ${options.print.clean()}`);
  return EXIT_OK;
}

/** Why the build may not be written to `out`: it would replace the project, or it would be empty. */
async function refuseOutput(out: string, project: LoadedProject, root: string, pipelines: number, allowEmpty: boolean): Promise<{ diagnostic: Diagnostic; exit: number } | undefined> {
  const sources = project.parsed.map((p) => path.resolve(p.source.path));
  const overlap = await checkOutFolder(out, { root, config: project.configFile ?? path.join(root, CONFIG_FILE), sources }, displayPath);
  if (overlap) return { diagnostic: overlap, exit: EXIT_USAGE };
  if (pipelines === 0 && !allowEmpty) return { diagnostic: diagnostic('empty-build', { path: displayPath(out) }, undefined), exit: EXIT_INPUT };
  return undefined;
}

/** `--max-warnings N` (CI): the line that fails the run when there are more warnings, else undefined. */
function tooManyWarnings(shown: readonly Diagnostic[], max: number | undefined): string | undefined {
  const warnings = shown.filter((d) => d.severity === 'warning').length;
  if (max === undefined || warnings <= max) return undefined;
  return `${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${max} allows`;
}

/** `pipec fmt`: formats in place; with `checkOnly`, changes nothing and prints each unformatted file's diff. */
export async function runFmt(options: CommonOptions, checkOnly: boolean): Promise<number> {
  const project = await loadProject({ ...options, configOptional: true });
  const failed = loadFailed(project, options.print, true);
  if (failed !== undefined) return failed;
  const syntax = project.parsed.flatMap((p) => p.diagnostics).filter((d) => d.severity === 'error');
  if (syntax.length > 0) {
    options.print.diagnostics(syntax, project);
    return EXIT_INPUT;
  }
  const unformatted: { file: string; diff: string }[] = [];
  for (const parsed of project.parsed) {
    // formatSource re-parses its output and refuses to change what the file means.
    const formatted = formatSource(parsed.source);
    if (!formatted.ok || !formatted.changed) continue;
    const file = parsed.source.path;
    unformatted.push({ file, diff: checkOnly ? unifiedDiff(file, parsed.source.text, formatted.text) : '' });
    if (!checkOnly) await writeTextAtomic(file, formatted.text);
  }
  if (!checkOnly) {
    for (const { file } of unformatted) options.print.info(`formatted ${file}`);
    return EXIT_OK;
  }
  options.print.result('unformatted', unformatted);
  for (const { diff } of unformatted) options.print.patch(diff);
  for (const { file } of unformatted) options.print.info(`not formatted: ${file}`);
  if (unformatted.length > 0) options.print.info(`${unformatted.length} file${unformatted.length === 1 ? '' : 's'} not formatted; \`pipec fmt\` formats ${unformatted.length === 1 ? 'it' : 'them'}`);
  return unformatted.length > 0 ? EXIT_INPUT : EXIT_OK;
}

/** The unified diff of a file's text and its formatted text, without jsdiff's `Index:` header. */
function unifiedDiff(file: string, before: string, after: string): string {
  return createTwoFilesPatch(file, file, before, after, undefined, undefined, { context: 2 }).split('\n').slice(2).join('\n');
}

export async function runExplain(options: CommonOptions): Promise<number> {
  const project = await loadProject(options);
  const failed = loadFailed(project, options.print);
  if (failed !== undefined || !project.config) return failed ?? EXIT_USAGE;
  const config = project.config;
  const syntax = project.parsed.flatMap((p) => p.diagnostics);
  if (hasErrors(syntax)) {
    options.print.diagnostics(syntax, project);
    return EXIT_INPUT;
  }
  const schemas = await resolveSchemas(config, collectSubjects(project.parsed, config), { offline: options.offline, frozen: options.frozen });
  if (schemas.configurationError) {
    options.print.diagnostics(schemas.diagnostics, project);
    return EXIT_USAGE;
  }
  const result = checkProgram(project.parsed, config, schemas.lookup);
  const shown = manageWarnings([...schemas.diagnostics, ...result.diagnostics], project.parsed, config.rules);
  options.print.diagnostics(shown, project);
  if (!result.program) return EXIT_INPUT;
  const explained = explainProgram(result.program, sourcePathIn(config.root)(path.resolve(options.paths[0] ?? '')));
  options.print.result('pipelines', explained.pipelines);
  options.print.result('libraries', explained.libraries);
  options.print.text(renderExplain(explained));
  return hasErrors(shown) ? EXIT_INPUT : EXIT_OK;
}

export async function runSchemasPull(options: CommonOptions): Promise<number> {
  const project = await loadProject(options);
  const failed = loadFailed(project, options.print);
  if (failed !== undefined || !project.config) return failed ?? EXIT_USAGE;
  const { pullSchemas } = await import('../driver/schemas.ts');
  const result = await pullSchemas(project.config, collectSubjects(project.parsed, project.config));
  options.print.diagnostics(result.diagnostics, project);
  for (const line of result.written) options.print.info(`wrote ${line}`);
  if (result.configurationError) return EXIT_USAGE;
  return hasErrors(result.diagnostics) ? EXIT_INPUT : EXIT_OK;
}
