/**
 * The generated jobs under test: the example project compiled by pipec's own driver (offline schemas), as
 * `pipec compile examples` would write them, plus variants that differ only in a pipeline setting written in
 * the .pipe header (e.g. `mini_batch = false`), so each variant is exactly what pipec emits for that setting.
 */
import { parse } from '../../../compiler/ast/parse.ts';
import { collectSubjects, compileProgram } from '../../../compiler/compile.ts';
import { loadProject } from '../../../compiler/driver/project.ts';
import { resolveSchemas } from '../../../compiler/driver/schemas.ts';
import type { ResolvedConfig } from '../../../compiler/config/schema.ts';
import type { FlinkLine } from '../../../local/index.ts';
import { EXAMPLES } from '../../helpers/examples.ts';

/** A setting added to one pipeline's `with (…)` header before compiling, e.g. `{ pipeline: 'merchant_leaders', setting: 'mini_batch = false' }`. */
export interface SettingEdit {
  readonly pipeline: string;
  readonly setting: string;
}

/** job.sql of every example pipeline, by pipeline name, for the Flink line of the stack. */
export async function generatedJobs(flink: FlinkLine, edit?: SettingEdit): Promise<Map<string, string>> {
  const project = await loadProject({ paths: [EXAMPLES], config: undefined, env: undefined });
  if (!project.config) throw new Error(`the examples do not load: ${project.diagnostics.map((d) => d.message).join('; ')}`);
  const config: ResolvedConfig = { ...project.config, flink: { ...project.config.flink, version: flink } };
  let parsed = project.parsed;
  if (edit) {
    const header = new RegExp(`(pipeline ${edit.pipeline}\\b[^;]*?with \\()`);
    const target = parsed.find((p) => p.ast.pipeline?.name.name === edit.pipeline);
    if (!target || !header.test(target.source.text)) throw new Error(`no pipeline ${edit.pipeline} with a \`with (…)\` header among the examples`);
    const source = { path: target.source.path, text: target.source.text.replace(header, `$1${edit.setting}, `) };
    parsed = parsed.map((p) => (p === target ? parse(source) : p));
  }
  const schemas = await resolveSchemas(config, collectSubjects(parsed, config), { offline: true, frozen: false });
  const compiled = compileProgram(parsed, config, schemas.lookup, 'pipec bench');
  if (!compiled.output) throw new Error(`the examples do not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  const jobs = new Map<string, string>();
  for (const artifact of compiled.output.artifacts) {
    const match = /(?:^|\/)([a-z0-9_]+)\/job\.sql$/.exec(artifact.path);
    if (match?.[1]) jobs.set(match[1], artifact.contents);
  }
  return jobs;
}
