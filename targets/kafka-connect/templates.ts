/**
 * Connector layouts: handlebars templates that hold only the key/value map of a config (which key gets which
 * precomputed value). The stdlib's are in `stdlib/connectors/<kind>.hbs`; a project adds its own as
 * `connectors/<name>.hbs` next to pipec.yaml, used by `sink … into connector 'template:<name>'`.
 * Rendering is pure; `loadProjectTemplates` is the one edge that reads the project folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';

const STDLIB_DIR = path.join(import.meta.dirname, '..', '..', 'stdlib', 'connectors');

let stdlib: Readonly<Record<string, string>> | undefined;

/** The stdlib layout of a kind; the folder is read at the first call (they ship with pipec, like the rest of stdlib/). */
export function stdlibTemplate(kind: string): string | undefined {
  stdlib ??= Object.fromEntries(
    readdirSync(STDLIB_DIR)
      .filter((f) => f.endsWith('.hbs'))
      .sort()
      .map((f) => [f.slice(0, -'.hbs'.length), readFileSync(path.join(STDLIB_DIR, f), 'utf8')]),
  );
  return stdlib[kind];
}

type Render = (view: object) => string;

let hbs: typeof Handlebars | undefined;
/** Compiled layouts by their text: a build renders the same few layouts once per connector. */
const compiled = new Map<string, Render>();

function compile(template: string): Render {
  let render = compiled.get(template);
  if (render === undefined) {
    if (hbs === undefined) {
      hbs = Handlebars.create();
      const { SafeString } = hbs;
      // Values go into JSON: `{{json x}}` writes a JSON string literal, so a value can never break the layout.
      hbs.registerHelper('json', (value: unknown) => new SafeString(JSON.stringify(value === undefined ? null : value)));
    }
    render = hbs.compile(template, { noEscape: true, strict: true });
    compiled.set(template, render);
  }
  return render;
}

export type RenderResult = { readonly ok: true; readonly config: Record<string, unknown> } | { readonly ok: false; readonly problem: string };

/** Renders a layout with its view model and parses the JSON object it lays out. */
export function renderLayout(template: string, view: object): RenderResult {
  let text: string;
  try {
    text = compile(template)(view);
  } catch (e) {
    return { ok: false, problem: firstLine((e as Error).message) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `it does not render a JSON object (${firstLine((e as Error).message)})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'it does not render a JSON object' };
  return { ok: true, config: parsed as Record<string, unknown> };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** The project's own layouts: `connectors/*.hbs` next to pipec.yaml (none when the folder is absent). */
export async function loadProjectTemplates(root: string): Promise<Record<string, string>> {
  const dir = path.join(root, 'connectors');
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.hbs')).sort();
  } catch {
    return {};
  }
  const entries = await Promise.all(files.map(async (f) => [f.slice(0, -'.hbs'.length), await readFile(path.join(dir, f), 'utf8')] as const));
  return Object.fromEntries(entries);
}
