/**
 * `pipec diff --previous <old-build> [paths…]`: compiles, then compares with the build deployed before (its
 * manifest.json and plan.json files) and prints what a deploy would create, change or delete, and for each
 * changed job whether its running state carries over. Exit 1 when a job change cannot keep its state, unless
 * `--allow-state-reset`.
 */
import { manageWarnings } from '../diagnostics/manage.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { escapeControls } from '../diagnostics/user-text.ts';
import { collectSubjects, compileProgram } from '../compile.ts';
import { displayPath, loadProject, projectPath } from '../driver/project.ts';
import { resolveSchemas } from '../driver/schemas.ts';
import type { PipelinePlan } from '../plan/plan.ts';
import { decodePlanFile } from '../plan/plan-file.ts';
import { diffBuilds, type BuildSide, type ItemDiff } from '../upgrade/diff.ts';
import { manifestSchema } from '../../targets/manifest.ts';
import type { CommonOptions } from './commands.ts';
import { VERSION } from './version.ts';
import { describeIssue, issueSentence } from '../diagnostics/validation-issues.ts';

export interface DiffOptions extends CommonOptions {
  readonly previous: string;
  readonly allowStateReset: boolean;
}

/** Reads a build folder written by `pipec compile`: its manifest and every pipeline's plan.json. */
export async function readBuild(dir: string): Promise<BuildSide> {
  const manifestPath = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the previous build's manifest ${displayPath(manifestPath)}: ${(e as Error).message}`);
  }
  const json: unknown = JSON.parse(text);
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${displayPath(manifestPath)} is not a pipec manifest: ${issue ? issueSentence(describeIssue(issue, json, { noun: 'field' })) : 'unexpected shape'}`);
  }
  const plans = new Map<string, PipelinePlan>();
  for (const p of parsed.data.pipelines) {
    const planPath = path.join(dir, path.dirname(p.job.sql), 'plan.json');
    const text = await readFile(planPath, 'utf8').catch(() => undefined);
    // A build from before plan.json existed: the job is compared by hash only.
    if (text !== undefined) plans.set(p.name, decodePlanFile(text, displayPath(planPath)));
  }
  return { manifest: parsed.data, plans };
}

const SIGN: Readonly<Record<ItemDiff['change'], string>> = { created: '+', changed: '~', unchanged: '=', deleted: '-' };

export async function runDiff(options: DiffOptions): Promise<number> {
  const project = await loadProject(options);
  if (!project.config || hasErrors(project.diagnostics)) {
    options.print.diagnostics(project.diagnostics, project);
    return project.config ? 1 : 2;
  }
  const config = project.config;
  const syntax = project.parsed.flatMap((p) => p.diagnostics);
  if (hasErrors(syntax)) {
    options.print.diagnostics(syntax, project);
    return 1;
  }
  const schemas = await resolveSchemas(config, collectSubjects(project.parsed, config), { offline: options.offline, frozen: options.frozen });
  if (schemas.configurationError) {
    options.print.diagnostics(schemas.diagnostics, project);
    return 2;
  }
  const result = compileProgram(project.parsed, config, schemas.lookup, `pipec ${VERSION}`, { sourcePath: projectPath(config.root) });
  const compileDiagnostics = manageWarnings([...schemas.diagnostics, ...result.diagnostics], project.parsed, config.rules);
  if (hasErrors(compileDiagnostics) || !result.output || !result.plan) {
    options.print.diagnostics(compileDiagnostics, project);
    return 1;
  }
  let previous: BuildSide;
  try {
    previous = await readBuild(path.resolve(options.previous));
  } catch (e) {
    process.stderr.write(`pipec: ${escapeControls((e as Error).message)}\n`);
    return 2;
  }
  const next: BuildSide = { manifest: result.output.manifest, plans: new Map(result.plan.pipelines.map((p) => [p.name, p])) };
  const diffs = diffBuilds(previous, next);
  const found: Diagnostic[] = [];
  for (const d of diffs) {
    const verdict = d.state ? ` — state: ${d.state.identical ? 'identical plan' : d.state.verdict}` : '';
    options.print.info(`${SIGN[d.change]} ${d.id} ${d.change}${verdict}`);
    if (!d.state || d.change === 'unchanged') continue;
    for (const c of d.state.changes) {
      options.print.info(`    ${c.verdict === 'incompatible' ? '✗' : c.verdict === 'compatible' ? '✓' : '!'} ${c.subject}: ${c.change}`);
      if (c.verdict === 'incompatible') {
        found.push(diagnostic('upgrade-state-incompatible', { pipeline: d.pipeline, subject: c.subject, change: c.change }, c.span, options.allowStateReset ? { severity: 'warning' } : {}));
      } else if (c.verdict === 'compatible-dropping-state') {
        found.push(diagnostic('upgrade-state-dropped', { pipeline: d.pipeline, subject: c.subject, change: c.change }, c.span));
      }
    }
  }
  options.print.result('items', diffs.map((d) => ({ id: d.id, pipeline: d.pipeline, change: d.change, ...(d.state ? { state: { identical: d.state.identical, verdict: d.state.verdict, changes: d.state.changes.map((c) => ({ subject: c.subject, change: c.change, verdict: c.verdict })) } } : {}) })));
  const counts = (['created', 'changed', 'deleted', 'unchanged'] as const).map((k) => `${diffs.filter((d) => d.change === k).length} ${k}`).join(', ');
  options.print.info(`${counts} (compared with ${displayPath(path.resolve(options.previous))})`);
  options.print.diagnostics([...compileDiagnostics, ...found], project);
  return hasErrors(found) ? 1 : 0;
}
