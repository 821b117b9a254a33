/**
 * Compiles a small project — the example project's pipec.yaml, schemas and shared sources, plus the `.pipe`
 * files given — the way `pipec compile` does (same driver, offline schemas), and writes its build folder.
 * For tests that need a build before and after a change.
 */
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectSubjects, compileProgram, type CompileResult } from '../../compiler/compile.ts';
import type { ResolvedConfig } from '../../compiler/config/schema.ts';
import { loadProject } from '../../compiler/driver/project.ts';
import { resolveSchemas } from '../../compiler/driver/schemas.ts';
import type { Artifact } from '../../targets/emit.ts';
import { EXAMPLES } from './examples.ts';

export async function writeBuild(artifacts: readonly Artifact[], prefix = 'pipec-build-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  for (const a of artifacts) {
    await mkdir(path.dirname(path.join(dir, a.path)), { recursive: true });
    await writeFile(path.join(dir, a.path), a.contents);
  }
  return dir;
}

/** `files`: `.pipe` files by name (relative to the project), next to the examples' `shared/sources.pipe`. */
/** `config`: a change to the examples' pipec.yaml text. */
export async function compileProject(files: Readonly<Record<string, string>>, config: (yaml: string) => string = (y) => y): Promise<{ result: CompileResult; buildDir: string; config: ResolvedConfig }> {
  const root = await mkdtemp(path.join(tmpdir(), 'pipec-project-'));
  await writeFile(path.join(root, 'pipec.yaml'), config(await readFile(path.join(EXAMPLES, 'pipec.yaml'), 'utf8')));
  await cp(path.join(EXAMPLES, 'schemas'), path.join(root, 'schemas'), { recursive: true });
  await cp(path.join(EXAMPLES, 'shared'), path.join(root, 'shared'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, name), text);
  const project = await loadProject({ paths: [root], config: undefined, env: undefined });
  if (!project.config) throw new Error(`project does not load: ${project.diagnostics.map((d) => d.message).join('; ')}`);
  const schemas = await resolveSchemas(project.config, collectSubjects(project.parsed, project.config), { offline: true, frozen: false });
  const result = compileProgram(project.parsed, project.config, schemas.lookup, 'pipec test');
  if (!result.output) throw new Error(`project does not compile: ${result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`).join('; ')}`);
  return { result, buildDir: await writeBuild(result.output.artifacts), config: project.config };
}
