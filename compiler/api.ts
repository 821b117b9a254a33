/**
 * pipec as a library (`import { check, compile, explain } from 'pipec'`): the commands of the `pipec` CLI, run in
 * this process, returning what `--format json` prints instead of printing it. The CLI itself is `pipec/cli`.
 *
 *   const result = await check({ paths: ['pipelines'], offline: true });
 *   if (result.exitCode !== 0) for (const d of result.diagnostics) console.error(`${d.file}:${d.line}: ${d.message}`);
 */
import { Writable } from 'node:stream';
import { runCheck, runExplain, type CommonOptions } from './cli/commands.ts';
import { printer, type CommandDocument } from './cli/output.ts';
import type { Explained } from './explain/explain.ts';

export type { JsonDiagnostic as Diagnostic } from './diagnostics/render.ts';
export type { Explained, ExplainedLibrary, ExplainedPipeline, ExplainedRelation, ExplainedSource, ExplainedSink, ExplainedColumn } from './explain/explain.ts';
export type { CommandDocument } from './cli/output.ts';

/** Which project, files and environment; as the CLI's options. */
export interface ProjectRequest {
  /** `.pipe` files or folders (default: the `pipelines` folder of the project of the working folder). */
  readonly paths?: readonly string[];
  /** The pipec.yaml (default: found in the first path's folder, or above it). */
  readonly config?: string;
  readonly env?: string;
  readonly offline?: boolean;
  readonly frozen?: boolean;
  /** Fail (exit code 1) with more warnings than this. */
  readonly maxWarnings?: number;
}

export interface CompileRequest extends ProjectRequest {
  /** The output folder (default: the config's `out`). */
  readonly out?: string;
  readonly allowEmpty?: boolean;
}

/** The CLI's exit code (0 clean, 1 errors in the input, 2 usage or configuration errors) and its JSON document. */
export type Result<Extra = unknown> = CommandDocument & { readonly exitCode: number } & Extra;

export function check(request: ProjectRequest = {}): Promise<Result<{ readonly checked?: { readonly files: number; readonly pipelines: number } }>> {
  return run(request, (options) => runCheck(options, 'check'));
}

export function compile(request: CompileRequest = {}): Promise<Result<{ readonly build?: { readonly out: string; readonly pipelines: number; readonly files: number } }>> {
  return run(request, (options) => runCheck({ ...options, out: request.out, allowEmpty: request.allowEmpty }, 'compile'));
}

/** The columns, types, time attributes and changelog modes of a file's pipelines, or of a library file's declarations. */
export function explain(file: string, request: Omit<ProjectRequest, 'paths'> = {}): Promise<Result<Partial<Explained>>> {
  return run({ ...request, paths: [file] }, runExplain);
}

async function run<Extra>(request: ProjectRequest, command: (options: CommonOptions) => Promise<number>): Promise<Result<Extra>> {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const print = printer('json', discard, discard);
  const exitCode = await command({
    paths: request.paths ?? [],
    config: request.config,
    env: request.env,
    frozen: request.frozen ?? false,
    offline: request.offline ?? false,
    out: undefined,
    maxWarnings: request.maxWarnings,
    print,
  });
  return { ...print.document(), exitCode } as Result<Extra>;
}
