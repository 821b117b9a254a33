/**
 * `pipec test [paths…] [--filter text] [--update] [--junit file]`: check the project and its test files, then run
 * every test on a real Flink (one MiniCluster JVM for the whole run) and compare what each sink received with what
 * the test expects. Exit 0 all passed, 1 a test failed or the input has errors, 2 usage or configuration errors.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { collectSubjects, compileProgram } from '../compile.ts';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { manageWarnings } from '../diagnostics/manage.ts';
import type { SourceLookup } from '../diagnostics/render.ts';
import { displayPath, findConfig, loadProject, projectPath } from '../driver/project.ts';
import { resolveSchemas } from '../driver/schemas.ts';
import { checkTestFiles } from '../driver/test-files.ts';
import type { ResolvedTest } from '../testing/check-tests.ts';
import type { PipelinePlan } from '../plan/plan.ts';
import { canonicalChanges, compareSink, type SinkOutcome } from '../testing/compare.ts';
import { githubAnnotation, junitXml, passed, renderHumanResult, resultJson, type TestResult } from '../testing/report.ts';
import { lineColumnOf, type SourceFile } from '../source/source.ts';
import { writeTextAtomic } from '../util/write-atomic.ts';
import { flinkTargetOptions } from '../../targets/emit.ts';
import { flinkLowerContext } from '../../targets/flink-sql/index.ts';
import { lowerPipelineToFlink, withoutSourceGuards } from '../../targets/flink-sql/lower.ts';
import { inputLines, testJob } from '../../targets/flink-sql/test-job.ts';
import { FlinkTestSession, type RunnerResult } from '../../targets/flink-sql/test-runner/index.ts';
import { isPlannerHarnessError } from '../../targets/flink-sql/maven/errors.ts';
import type { CommonOptions } from './commands.ts';
import type { OutputFormat } from './output.ts';
import type { ResolvedConfig } from '../config/schema.ts';
import { VERSION } from './version.ts';

export interface TestOptions extends CommonOptions {
  readonly format: OutputFormat;
  readonly filter: string | undefined;
  readonly update: boolean;
  readonly junit: string | undefined;
}

const JOB_TIMEOUT_MS = 120_000;

/**
 * Loads the project and its test files and checks both; the checked tests, or the exit code of a failed check.
 * Errors are printed here; warnings are left to the caller, which prints them in its output format. `onConfig`
 * is told the configuration as soon as it is read (the CLI starts the Flink JVM then, while the rest loads).
 */
export async function loadTests(options: CommonOptions, onConfig: (config: ResolvedConfig) => void = () => undefined): Promise<{ tests: ResolvedTest[]; sources: SourceLookup; fileOrder: readonly string[]; config: ResolvedConfig; testSources: readonly SourceFile[]; diagnostics: readonly Diagnostic[] } | { exit: number }> {
  const configPath = findConfig(options);
  const project = await loadProject({ ...options, paths: [], config: configPath });
  if (!project.config || hasErrors(project.diagnostics)) {
    options.print.diagnostics(project.diagnostics, project);
    return { exit: project.config ? 1 : 2 };
  }
  const config = project.config;
  onConfig(config);
  const schemas = await resolveSchemas(config, collectSubjects(project.parsed, config), { offline: options.offline, frozen: options.frozen });
  const compiled = compileProgram(project.parsed, config, schemas.lookup, `pipec ${VERSION}`, { planFiles: false, sourcePath: projectPath(config.root) });
  const roots = options.paths.length > 0 ? options.paths.map((p) => path.resolve(p)) : [config.root];
  const diagnostics: Diagnostic[] = [...project.diagnostics, ...schemas.diagnostics, ...compiled.diagnostics];
  const checked = compiled.plan && !hasErrors(diagnostics) ? await checkTestFiles(roots, compiled.plan.pipelines, displayPath) : { tests: [], files: [], diagnostics: [] };
  diagnostics.push(...checked.diagnostics);
  const shown = manageWarnings(diagnostics, project.parsed, config.rules);
  const byPath = new Map(checked.files.map((f) => [f.path, f]));
  const sources: SourceLookup = (p) => byPath.get(p) ?? project.sources(p);
  if (hasErrors(shown)) {
    options.print.diagnostics(shown, { sources, fileOrder: project.fileOrder });
    return { exit: 1 };
  }
  return { tests: checked.tests, sources, fileOrder: project.fileOrder, config, testSources: checked.files, diagnostics: shown };
}

export async function runTests(options: TestOptions): Promise<number> {
  // The JVM starts (and warms up) while the project is checked; it is stopped again if no test runs.
  let starting: Promise<FlinkTestSession> | undefined;
  const unused = new AbortController();
  const loaded = await loadTests(options, (config) => {
    starting = FlinkTestSession.start(config.flink.version, { log: (l) => options.print.info(l), signal: unused.signal });
    starting.catch(() => undefined);
  });
  const stopUnused = async (): Promise<void> => {
    unused.abort();
    await (await starting?.catch(() => undefined))?.close();
  };
  if ('exit' in loaded) {
    await stopUnused();
    return loaded.exit;
  }
  const { config, sources } = loaded;
  // In JSON mode the one document on stdout carries the warnings along with the results.
  options.print.diagnostics(loaded.diagnostics, { sources, fileOrder: loaded.fileOrder });
  const filter = options.filter;
  const tests = filter === undefined ? loaded.tests : loaded.tests.filter((t) => t.name.includes(filter) || t.file.includes(filter));
  if (tests.length === 0 || !starting) {
    await stopUnused();
    options.print.info(filter === undefined ? 'no tests found (test files are named *.test.yaml; see docs/testing.md)' : `no test matches "${filter}"`);
    return filter === undefined ? 0 : 2;
  }

  const where = (t: { span: ResolvedTest['span'] }): { text: string; line: number; column: number } => {
    const source = sources(t.span.file);
    const lc = source ? lineColumnOf(source, t.span.start) : { line: 1, column: 1 };
    return { text: `${t.span.file}:${lc.line}:${lc.column}`, ...lc };
  };

  let session: FlinkTestSession;
  try {
    options.print.info(`running ${tests.length} test${tests.length === 1 ? '' : 's'} on Flink ${config.flink.version}…`);
    session = await starting;
  } catch (e) {
    if (!isPlannerHarnessError(e)) throw e;
    process.stderr.write(`pipec: the Flink test runner could not start: ${e.message}\n  = help: ${e.hint}\n${e.detail ? `${e.detail}\n` : ''}`);
    return 2;
  }
  const work = await mkdtemp(path.join(tmpdir(), 'pipec-test-'));
  const results: TestResult[] = [];
  let jvmBytes: number | undefined;
  try {
    for (const [i, t] of tests.entries()) {
      const result = await runOne(session, t, path.join(work, String(i)), config);
      results.push(result);
      // Line by line: an info line shows a line break as `\n` (user text never starts a line of its own).
      if (options.format !== 'json') for (const line of renderHumanResult(result, where(t).text).split('\n')) options.print.info(line);
      if (options.format === 'github' && !passed(result)) process.stdout.write(`${githubAnnotation(result, where(t).line, where(t).column)}\n`);
    }
    jvmBytes = session.residentBytes();
  } finally {
    await session.close();
    await rm(work, { recursive: true, force: true });
  }

  const failed = results.filter((r) => !passed(r)).length;
  if (options.format === 'json') {
    // One document on stdout, written when the command ends: the diagnostics, these results and the summary.
    options.print.result('results', results.map((r) => resultJson(r, where(r).text)));
    options.print.result('tests', { passed: results.length - failed, failed });
    options.print.result('flink', { version: session.flinkVersion, startupMs: session.startupMs, residentBytes: jvmBytes ?? null });
  } else {
    const memory = jvmBytes === undefined ? '' : `, its JVM ${Math.round(jvmBytes / 2 ** 20)} MiB resident`;
    options.print.info('');
    options.print.info(`${results.length - failed} passed, ${failed} failed (${results.length} test${results.length === 1 ? '' : 's'}, Flink ${session.flinkVersion}${memory})`);
  }
  if (options.junit) await writeTextAtomic(path.resolve(options.junit), junitXml(results));
  if (options.update) {
    const updated = await updateExpectations(results, loaded.testSources);
    for (const f of updated) options.print.info(`updated the expectations in ${f}`);
  }
  return failed > 0 ? 1 : 0;
}

/** Runs one checked test on the session and compares every expectation with what its sink received. */
export async function runOne(session: FlinkTestSession, t: ResolvedTest, dir: string, config: ResolvedConfig): Promise<TestResult> {
  const started = Date.now();
  const run = await runPipelineJob(session, t.pipeline, t.inputs, dir, config);
  const base = { file: t.file, name: t.name, span: t.span, ms: Date.now() - started };
  if (!run.ok) return { ...base, kind: 'error', error: `Flink ${run.statement === undefined ? 'failed to run the job' : 'refused the job'}: ${run.error}` };
  const sinks: SinkOutcome[] = t.expectations.map((e) => compareSink(e, canonicalChanges(e.sink, run.sinks[e.sink.table] ?? [])));
  return { ...base, kind: 'ran', sinks };
}

/**
 * Runs a pipeline's test job on the session: each source reads its changes from a file written into `dir`, each
 * sink collects what it receives (test-job.ts).
 */
export async function runPipelineJob(session: FlinkTestSession, pipeline: PipelinePlan, inputs: ResolvedTest['inputs'], dir: string, config: ResolvedConfig, timeoutMs = JOB_TIMEOUT_MS): Promise<RunnerResult> {
  await mkdir(dir, { recursive: true });
  for (const input of inputs) await writeFile(path.join(dir, `${input.source.name}.json`), inputLines(input.source, input.changes));
  // Test rows are decoded already: sources read them unguarded.
  const job = lowerPipelineToFlink(withoutSourceGuards(pipeline), flinkLowerContext(flinkTargetOptions(config.project, config.environment, config)));
  return session.run(testJob(pipeline, job, (s) => path.join(dir, `${s.name}.json`)), timeoutMs);
}

/** `--update`: each ran test's expectations become what its sinks received (in the expectation's own shape). */
async function updateExpectations(results: readonly TestResult[], files: readonly SourceFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const f of files) {
    const mine = results.filter((r): r is Extract<TestResult, { kind: 'ran' }> => r.kind === 'ran' && r.file === f.path && !passed(r));
    if (mine.length === 0) continue;
    const doc = parseDocument(f.text);
    const tests = doc.get('tests');
    if (!isSeq(tests)) continue;
    for (const r of mine) {
      const node = tests.items.find((item) => isMap(item) && item.get('name') === r.name);
      if (!isMap(node)) continue;
      for (const s of r.sinks) {
        const key = s.sink.table !== s.sink.input && isMap(node.get('expect')) && (node.get('expect') as { has(k: string): boolean }).has(s.sink.table) ? s.sink.table : s.sink.input;
        doc.setIn(['tests', tests.items.indexOf(node), 'expect', key], expectationNode(doc, s));
      }
    }
    await writeTextAtomic(path.resolve(f.path), doc.toString({ lineWidth: 0, singleQuote: true }));
    written.push(f.path);
  }
  return written;
}

/** Rows as the examples write them: one flow mapping per line, `changelog:` entries as `- +I: { … }`. */
function expectationNode(doc: Document, s: SinkOutcome): Node {
  const flowRows = (node: Node, depth: number): Node => {
    if (!isSeq(node)) return node;
    for (const item of node.items) {
      if (!isMap(item)) continue;
      if (depth === 0) item.flow = true;
      else for (const pair of item.items) if (isMap(pair.value)) pair.value.flow = true;
    }
    return node;
  };
  if (s.mode !== 'changelog') return flowRows(doc.createNode(s.actualRows.map((r) => ({ ...r }))), 0);
  const changes = flowRows(doc.createNode(s.actualChanges.map((c) => ({ [c.kind]: { ...c.row } }))), 1);
  return doc.createNode({ changelog: changes });
}
