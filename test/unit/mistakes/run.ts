/**
 * Runs one mistake of the corpus the way `pipec check` runs: a project made of the example project's
 * pipec.yaml, schemas and shared sources with the case's changes, checked by the CLI's own command with a
 * printer that keeps the diagnostics in the order users see them.
 */
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCheck } from '../../../compiler/cli/commands.ts';
import type { Printer } from '../../../compiler/cli/output.ts';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.ts';
import { sortDiagnostics } from '../../../compiler/diagnostics/order.ts';
import { lineColumnOf } from '../../../compiler/source/source.ts';
import { EXAMPLES } from '../../helpers/examples.ts';

export interface Mistake {
  /** What the user got wrong, in their words. */
  readonly name: string;
  /** Files written into the project (paths relative to it); `null` deletes a file of the base project. */
  readonly files: Readonly<Record<string, string | null>>;
  /** A change to the example project's pipec.yaml. */
  readonly config?: (yaml: string) => string;
  readonly options?: { readonly frozen?: boolean; readonly offline?: boolean; readonly maxWarnings?: number };
  /** Every diagnostic, in the order shown: `code file:line:col` (or just `code` for one about no place). */
  readonly expected: readonly string[];
  readonly exit: number;
}

export async function runMistake(mistake: Mistake): Promise<{ shown: string[]; diagnostics: Diagnostic[]; exit: number }> {
  const root = await mkdtemp(path.join(tmpdir(), 'pipec-mistake-'));
  try {
    await writeFile(path.join(root, 'pipec.yaml'), (mistake.config ?? ((y) => y))(await readFile(path.join(EXAMPLES, 'pipec.yaml'), 'utf8')));
    await cp(path.join(EXAMPLES, 'schemas'), path.join(root, 'schemas'), { recursive: true });
    await cp(path.join(EXAMPLES, 'shared'), path.join(root, 'shared'), { recursive: true });
    for (const [name, text] of Object.entries(mistake.files)) {
      const file = path.join(root, name);
      if (text === null) {
        await rm(file);
        continue;
      }
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
    }
    const shown: string[] = [];
    const all: Diagnostic[] = [];
    const print: Printer = {
      diagnostics(diagnostics, { sources, fileOrder }) {
        for (const d of sortDiagnostics(diagnostics, fileOrder)) {
          all.push(d);
          const source = d.span ? sources(d.span.file) : undefined;
          if (!d.span || !source) {
            shown.push(d.code);
            continue;
          }
          const at = lineColumnOf(source, d.span.start);
          shown.push(`${d.code} ${path.relative(root, path.resolve(d.span.file)).split(path.sep).join('/')}:${at.line}:${at.column}`);
        }
      },
      info: () => undefined,
      text: () => undefined,
      patch: () => undefined,
      detail: () => undefined,
      result: () => undefined,
      clean: () => '',
      finish: () => undefined,
      document: () => ({ diagnostics: [], summary: { errors: 0, warnings: 0 } }),
    };
    const exit = await runCheck(
      { paths: [root], config: undefined, env: undefined, frozen: mistake.options?.frozen ?? false, offline: mistake.options?.offline ?? true, out: undefined, print, maxWarnings: mistake.options?.maxWarnings },
      'check',
    );
    return { shown, diagnostics: all, exit };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
