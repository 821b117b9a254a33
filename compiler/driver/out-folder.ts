/**
 * Where a build may go (edge: file system): never onto the project itself, its configuration or a source file,
 * nor onto a folder holding any of them (the build replaces its folder). Symbolic links are resolved first, so
 * `--out` through a link into the project is judged where it lands.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { isSameOrInside, realPathOf } from './paths.ts';

export interface ProjectPaths {
  /** The folder of pipec.yaml. */
  readonly root: string;
  readonly config: string;
  /** Every `.pipe` file read. */
  readonly sources: readonly string[];
}

export async function checkOutFolder(out: string, project: ProjectPaths, shown: (absolute: string) => string): Promise<Diagnostic | undefined> {
  const target = await realPathOf(out);
  const overlaps = async (p: string): Promise<boolean> => isSameOrInside(await realPathOf(p), target);
  const refuse = (replaces: string): Diagnostic => diagnostic('out-overlaps-project', { path: shown(path.resolve(out)), replaces }, undefined);
  if (await overlaps(project.root)) return refuse(`the project in ${shown(project.root)}`);
  if (await overlaps(project.config)) return refuse(`the configuration ${shown(project.config)}`);
  for (const source of project.sources) if (await overlaps(source)) return refuse(`the source file ${shown(source)}`);
  return undefined;
}
