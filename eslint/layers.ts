// The layers of the source tree, bottom to top (ARCHITECTURE.md, "Layers", draws this table). A layer imports
// its own folders and the layers it `uses`, directly or through them; nothing else. Lint enforces it
// (import-x/no-restricted-paths), so an import that runs upward or sideways fails `eslint .`.
export interface Layer {
  readonly name: string;
  /** Folders, or globs of files (`compiler/*.ts`), relative to the repository. */
  readonly folders: readonly string[];
  /** The layers it imports directly. */
  readonly uses: readonly string[];
}

export const LAYERS: readonly Layer[] = [
  { name: 'base', folders: ['compiler/source', 'compiler/util', 'compiler/diagnostics', 'compiler/types'], uses: [] },
  { name: 'grammar', folders: ['grammar'], uses: ['base'] },
  { name: 'stdlib', folders: ['stdlib'], uses: ['base'] },
  { name: 'clients', folders: ['clients'], uses: [] },
  { name: 'ast', folders: ['compiler/ast'], uses: ['grammar', 'stdlib'] },
  { name: 'schemas', folders: ['compiler/schemas'], uses: ['base', 'clients'] },
  { name: 'config', folders: ['compiler/config'], uses: ['schemas', 'stdlib'] },
  { name: 'project', folders: ['compiler/project'], uses: ['ast'] },
  { name: 'format', folders: ['compiler/format'], uses: ['ast'] },
  { name: 'semantic', folders: ['compiler/semantic'], uses: ['project', 'config'] },
  { name: 'check', folders: ['compiler/check'], uses: ['semantic'] },
  { name: 'explain', folders: ['compiler/explain'], uses: ['semantic'] },
  { name: 'plan', folders: ['compiler/plan'], uses: ['semantic'] },
  { name: 'testing', folders: ['compiler/testing'], uses: ['plan'] },
  { name: 'targets', folders: ['targets'], uses: ['testing'] },
  { name: 'upgrade', folders: ['compiler/upgrade'], uses: ['targets'] },
  { name: 'local', folders: ['local'], uses: ['config'] },
  { name: 'deploy', folders: ['deploy'], uses: ['upgrade', 'clients'] },
  { name: 'orchestration', folders: ['compiler/*.ts', 'compiler/driver', 'compiler/cli'], uses: ['check', 'explain', 'format', 'upgrade', 'local', 'deploy'] },
  // Not shipped: tests and their tools, the build script, the examples, the lint and test configuration. They may
  // import anything.
  { name: 'tooling', folders: ['test', 'bin', 'examples', 'eslint', '*.ts', '*.js'], uses: ['orchestration', 'deploy'] },
];

const byName = new Map(LAYERS.map((l) => [l.name, l]));

/** The layers a layer may import: the ones it uses, and theirs, transitively. */
export function reachable(name: string): Set<string> {
  const seen = new Set<string>();
  const visit = (n: string): void => {
    for (const u of byName.get(n)?.uses ?? []) {
      if (!seen.has(u)) {
        seen.add(u);
        visit(u);
      }
    }
  };
  visit(name);
  return seen;
}

const globs = (layer: Layer): string[] => layer.folders.map((f) => (f.includes('*') ? f : `${f}/**`));

/** One zone per layer: its files may not import from any layer outside its reach. */
interface Zone {
  readonly target: string[];
  readonly from: string[];
  readonly message: string;
}

export function layerZones(): Zone[] {
  return LAYERS.flatMap((layer): Zone[] => {
    const allowed = reachable(layer.name);
    const forbidden = LAYERS.filter((l) => l !== layer && !allowed.has(l.name));
    if (forbidden.length === 0) return [];
    return [{
      target: globs(layer),
      from: forbidden.flatMap(globs),
      message: `The ${layer.name} layer imports only ${[...allowed].sort().join(', ') || 'no other layer'} (eslint/layers.ts; ARCHITECTURE.md, "Layers").`,
    }];
  });
}

/** The rule's settings for eslint.config.js; `root` is the repository's folder. */
export function layerRule(root: string): ['error', { basePath: string; zones: Zone[] }] {
  return ['error', { basePath: root, zones: layerZones() }];
}
