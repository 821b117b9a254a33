/**
 * Compiles the example project the way `pipec compile examples` does (same driver, offline schemas), for a
 * chosen Flink version, returning the artifacts in memory.
 */
import path from 'node:path';
import { compileProgram, collectSubjects, type CompileResult } from '../../compiler/compile.ts';
import { loadProject } from '../../compiler/driver/project.ts';
import { resolveSchemas } from '../../compiler/driver/schemas.ts';
import type { ResolvedConfig } from '../../compiler/config/schema.ts';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.ts';
import type { FlinkLine } from '../../stdlib/flink-lines.ts';

export const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');

/** `configure` changes the project's configuration before compiling (e.g. another registry flavour). */
export async function compileExamples(version: FlinkLine, configure: (c: ResolvedConfig) => ResolvedConfig = (c) => c): Promise<CompileResult & { config: ResolvedConfig; schemaDiagnostics: readonly Diagnostic[] }> {
  const project = await loadProject({ paths: [EXAMPLES], config: undefined, env: undefined });
  if (!project.config) throw new Error(`examples do not load: ${project.diagnostics.map((d) => d.message).join('; ')}`);
  const base = project.config;
  const config: ResolvedConfig = configure({ ...base, flink: { ...base.flink, version } });
  const schemas = await resolveSchemas(config, collectSubjects(project.parsed, config), { offline: true, frozen: false });
  return { ...compileProgram(project.parsed, config, schemas.lookup, 'pipec test'), config, schemaDiagnostics: schemas.diagnostics };
}
