/**
 * The layer table (eslint/layers.ts) holds: every shipped source file is in exactly one layer, the layers form no
 * cycle, `eslint .` runs the rule with this table, the rule refuses an import that runs up or sideways (static,
 * dynamic, type-only) and lets a downward one pass, and ARCHITECTURE.md draws the same table.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS, layerRule, reachable } from '../../../eslint/layers.ts';

const root = path.resolve(import.meta.dirname, '../../..');

const globsOf = (folders: readonly string[]): string[] => folders.map((f) => (f.includes('*') ? f : `${f}/**`));

describe('the layer table', () => {
  it('puts every source file in exactly one layer', () => {
    const files = execFileSync('git', ['ls-files', '*.ts', '*.js'], { cwd: root, encoding: 'utf8' }).split('\n').filter((f) => f.length > 0);
    const layered = LAYERS.map((l) => ({ name: l.name, globs: globsOf(l.folders) }));
    const unplaced: string[] = [];
    const twice: string[] = [];
    for (const f of files) {
      const homes = layered.filter((l) => l.globs.some((g) => path.matchesGlob(f, g))).map((l) => l.name);
      if (homes.length === 0) unplaced.push(f);
      if (homes.length > 1) twice.push(`${f}: ${homes.join(', ')}`);
    }
    expect(files.length).toBeGreaterThan(100);
    expect(unplaced).toEqual([]);
    expect(twice).toEqual([]);
  });

  it('names only layers it has, and no layer reaches itself', () => {
    const names = new Set(LAYERS.map((l) => l.name));
    for (const l of LAYERS) {
      for (const u of l.uses) expect(names, `${l.name} uses ${u}`).toContain(u);
      expect(reachable(l.name).has(l.name), `${l.name} reaches itself`).toBe(false);
    }
  });

  it('is the rule eslint.config.js runs on the sources', async () => {
    const config = (await new ESLint({ cwd: root }).calculateConfigForFile(path.join(root, 'compiler/types/types.ts'))) as { rules: Record<string, unknown> };
    const [, options] = layerRule(root);
    expect(config.rules['import-x/no-restricted-paths']).toEqual([2, options]);
  });
});

describe('the layer rule', () => {
  // The repository's rule alone, without type information: what is tested is the table, not the parser.
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { 'import-x': importX },
        rules: { 'import-x/no-restricted-paths': layerRule(root) },
      },
    ],
  });

  async function problems(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
  }

  it.each([
    ['a base module importing a target', 'compiler/types/layer-fixture.ts', "import { emit } from '../../targets/emit.ts';\nexport const e = emit;\n", 'base'],
    ['the grammar importing the AST builder', 'grammar/layer-fixture.ts', "export { parse } from '../compiler/ast/parse.ts';\n", 'grammar'],
    ['the configuration importing the local stack', 'compiler/config/layer-fixture.ts', "import { loadLocalConfigFile } from '../../local/config.ts';\nexport const l = loadLocalConfigFile;\n", 'config'],
    ['the deployer importing the local stack (a sideways import)', 'deploy/layer-fixture.ts', "import { up } from '../local/index.ts';\nexport const u = up;\n", 'deploy'],
    ['the binder importing the plan, type only', 'compiler/semantic/layer-fixture.ts', "import type { Plan } from '../plan/plan.ts';\nexport type P = Plan;\n", 'semantic'],
    ['the AST builder importing a target lazily', 'compiler/ast/layer-fixture.ts', "export const load = () => import('../../targets/emit.ts');\n", 'ast'],
    ['production code importing a test helper', 'targets/layer-fixture.ts', "export { checkWithFlinkPlanner } from '../test/planner-check/index.ts';\n", 'targets'],
  ])('refuses %s', async (_what, file, code, layer) => {
    const found = await problems(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^import-x/no-restricted-paths: .*The ${layer} layer imports only`));
  });

  it.each([
    ['the binder importing the stdlib and the AST', 'compiler/semantic/layer-fixture.ts', "import { STD } from '../../stdlib/functions.ts';\nimport type { PipeFile } from '../ast/nodes.ts';\nexport const s = STD;\nexport type F = PipeFile;\n"],
    ['the deployer importing the REST clients and the manifest', 'deploy/layer-fixture.ts', "import { HttpError } from '../clients/http.ts';\nimport { manifestSchema } from '../targets/manifest.ts';\nexport const h = [HttpError, manifestSchema];\n"],
    ['the CLI importing the local stack', 'compiler/cli/layer-fixture.ts', "export const load = () => import('../../local/index.ts');\n"],
  ])('lets %s pass', async (_what, file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});

describe('ARCHITECTURE.md', () => {
  it('draws the layer table', () => {
    const doc = readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8');
    const drawn = /## Layers[\s\S]*?```mermaid\n([\s\S]*?)```/.exec(doc)?.[1];
    const expected = [
      'flowchart BT',
      ...LAYERS.map((l) => `  ${l.name}["${l.name}: ${l.folders.join(', ')}"]`),
      ...LAYERS.flatMap((l) => l.uses.map((u) => `  ${l.name} --> ${u}`)),
    ].join('\n');
    expect(drawn?.trimEnd()).toBe(expected);
  });
});
