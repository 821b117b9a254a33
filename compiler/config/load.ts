/**
 * Reads pipec.yaml (edge: file I/O) and validates it. Errors are diagnostics pointing at the YAML line,
 * rendered exactly like `.pipe` errors: the YAML is parsed with node ranges, and each zod issue's path is
 * mapped back to the node it is about.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isCollection, isMap, isNode, isPair, parseDocument, type Document } from 'yaml';
import type { ZodError } from 'zod';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { suggestionList } from '../diagnostics/suggest.ts';
import { describeIssue, isMissingIssue } from '../diagnostics/validation-issues.ts';
import { ownEntry } from '../util/own.ts';
import type { SourceFile, Span } from '../source/source.ts';
import { plaintextSettings } from './plaintext-secrets.ts';
import { connectConfigSchema, flinkConfigSchema, kafkaConfigSchema, projectConfigSchema, resolvedSettingsSchema, type ResolvedConfig } from './schema.ts';

export const CONFIG_FILE = 'pipec.yaml';

/** Deeper nesting than any real configuration needs; the YAML library itself overflows a few hundred levels down. */
export const MAX_CONFIG_DEPTH = 64;
/** Alias uses (`*name`) a configuration may expand: far more than real files use, far fewer than a "billion laughs" needs. */
export const MAX_CONFIG_ALIASES = 100;

export type LoadConfigResult =
  | { readonly ok: true; readonly config: ResolvedConfig; readonly source: SourceFile; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly source: SourceFile | undefined; readonly diagnostics: readonly Diagnostic[] };

export async function loadConfig(configPath: string, environment: string | undefined, displayPath = configPath): Promise<LoadConfigResult> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch {
    return { ok: false, source: undefined, diagnostics: [diagnostic('config-not-found', { path: displayPath }, undefined)] };
  }
  const source: SourceFile = { path: displayPath, text };
  const parsed = parseConfig(source, environment);
  return parsed.ok ? { ...parsed, config: { ...parsed.config, root: path.dirname(path.resolve(configPath)) } } : parsed;
}

/** Pure part of loading: YAML text → validated config for one environment. `root` is filled in by the caller. */
export function parseConfig(
  source: SourceFile,
  environment: string | undefined,
): { ok: true; config: ResolvedConfig; source: SourceFile; diagnostics: readonly Diagnostic[] } | { ok: false; source: SourceFile; diagnostics: readonly Diagnostic[] } {
  const doc = parseDocument(source.text, { prettyErrors: false, uniqueKeys: true });
  const fileSpan = { file: source.path, start: 0, end: Math.min(1, source.text.length) };
  if (doc.errors.length > 0) {
    // The library overflows its stack on very deep nesting and reports that as an error like any other, at
    // wherever the stack ran out (which depends on the caller's stack); point at the first bracket past the
    // limit instead, so the same file always gets the same diagnostic.
    const tooDeep = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
    if (tooDeep) {
      const start = firstFlowPastLimit(source.text) ?? tooDeep.pos[0];
      return { ok: false, source, diagnostics: [tooDeepDiagnostic({ file: source.path, start, end: start + 1 })] };
    }
    const diagnostics = doc.errors.map((e) =>
      diagnostic('config-syntax', { message: e.message.split('\n')[0] ?? e.message }, { file: source.path, start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) }),
    );
    return { ok: false, source, diagnostics };
  }
  if (!isMap(doc.contents)) {
    return { ok: false, source, diagnostics: [diagnostic('config-invalid', { path: '', issue: 'pipec.yaml must be a mapping of settings (key: value)' }, fileSpan)] };
  }
  const deep = deepestNode(doc);
  if (deep) return { ok: false, source, diagnostics: [tooDeepDiagnostic(deep.range ? { file: source.path, start: deep.range[0], end: Math.max(deep.range[1], deep.range[0] + 1) } : fileSpan)] };
  let plain: unknown;
  try {
    plain = doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES });
  } catch {
    // The only failure of toJS on a document that parsed: aliases expanding past the limit.
    return { ok: false, source, diagnostics: [diagnostic('config-limit', { issue: `expands aliases (\`*name\`) more than ${MAX_CONFIG_ALIASES} times`, hint: 'write the repeated settings out, or use fewer aliases' }, fileSpan)] };
  }
  const result = projectConfigSchema.safeParse(plain);
  if (!result.success) return { ok: false, source, diagnostics: zodDiagnostics(result.error, plain, doc, source, fileSpan) };
  const config = result.data;
  const plaintext = plaintextSettings(config).map((s) => diagnostic('config-plaintext-secret', { path: s.path.join('.'), found: s.found }, spanOf(doc, s.path, source) ?? fileSpan));
  if (plaintext.length > 0) return { ok: false, source, diagnostics: plaintext };
  const env = environment ?? 'default';
  if (environment !== undefined && ownEntry(config.environments, environment) === undefined) {
    const candidates = suggestionList(environment, Object.keys(config.environments));
    return { ok: false, source, diagnostics: [diagnostic('unknown-environment', { env: environment, candidates }, spanOf(doc, ['environments'], source) ?? fileSpan)] };
  }
  const mergedInput = mergeEnvironment(plain, env);
  const merged = resolvedSettingsSchema.safeParse(mergedInput);
  if (!merged.success) return { ok: false, source, diagnostics: zodDiagnostics(merged.error, mergedInput, doc, source, fileSpan) };
  return { ok: true, config: { ...merged.data, environment: env, root: '' }, source, diagnostics: [] };
}

/** The settings as written, with one environment's overrides merged over the base (validated by the caller). */
function mergeEnvironment(written: unknown, env: string): unknown {
  if (!isPlainObject(written)) return written;
  const { environments, ...base } = written;
  const overrides = isPlainObject(environments) ? ownEntry(environments, env) : undefined;
  return deepMerge(base, overrides ?? {});
}

function tooDeepDiagnostic(span: Span): Diagnostic {
  return diagnostic('config-limit', { issue: `nests settings more than ${MAX_CONFIG_DEPTH} levels deep`, hint: 'pipec.yaml needs only a few levels; flatten the nested lists or mappings' }, span);
}

/**
 * The offset of the first `[` or `{` nested more than MAX_CONFIG_DEPTH flow collections deep, skipping quoted
 * text and comments; undefined when the flow collections stay shallower (deep block nesting).
 */
function firstFlowPastLimit(text: string): number | undefined {
  let depth = 0;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    const before = i === 0 ? '\n' : (text[i - 1] ?? '');
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = undefined;
    } else if (quote === "'") {
      if (c === "'" && text[i + 1] === "'") i++; // a quote written twice is one quote inside the text
      else if (c === "'") quote = undefined;
    } else if ((c === '"' || c === "'") && /[\s[{,]/.test(before)) {
      quote = c; // only where a value starts: an apostrophe inside a plain value opens nothing
    } else if (c === '#' && /\s/.test(before)) {
      const end = text.indexOf('\n', i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth > MAX_CONFIG_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/** The first node nested deeper than MAX_CONFIG_DEPTH, found without recursion. */
function deepestNode(doc: Document): { readonly range?: readonly [number, number, number] | null | undefined } | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (!isCollection(item.node)) continue;
    if (item.depth > MAX_CONFIG_DEPTH) return item.node;
    for (const child of item.node.items) {
      if (isPair(child)) stack.push({ node: child.key, depth: item.depth + 1 }, { node: child.value, depth: item.depth + 1 });
      else stack.push({ node: child, depth: item.depth + 1 });
    }
  }
  return undefined;
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  // Own properties only, and no assignment by key: a key like `__proto__` stays a plain key.
  const merged = new Map<string, unknown>(Object.entries(base));
  for (const [key, value] of Object.entries(override)) merged.set(key, deepMerge(merged.get(key), value));
  return Object.fromEntries(merged);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function zodDiagnostics(error: ZodError, input: unknown, doc: Document, source: SourceFile, fallback: Span): Diagnostic[] {
  // A misspelt key also makes the real one "missing": report the misspelling only.
  const misspelt = new Set<string>();
  for (const issue of error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = knownKeysAt(issue.path.map(String));
    for (const k of issue.keys) {
      const close = suggestionList(k, known)[0];
      if (close) misspelt.add([...issue.path.map(String), close].join('.'));
    }
  }
  const relevant = error.issues.filter((issue) => !(isMissingIssue(issue, input) && misspelt.has(issue.path.map(String).join('.'))));
  return relevant.map((issue) => {
    const keys = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const at = issue.code === 'unrecognized_keys' ? spanOf(doc, [...keys, issue.keys[0] ?? ''], source, true) ?? spanOf(doc, keys, source) : spanOf(doc, keys, source);
    const written = at && !isMissingIssue(issue, input) ? source.text.slice(at.start, at.end) : undefined;
    const described = describeIssue(issue, input, { written, knownKeys: knownKeysAt });
    return diagnostic('config-invalid', { path: described.path, issue: described.problem, hint: described.hint }, at ?? nearestSpan(doc, keys, source) ?? fallback);
  });
}

/** The settings of the mapping at a path, for a did-you-mean; none for the mappings whose settings vary. */
function knownKeysAt(keys: readonly (string | number)[]): string[] {
  if (keys.length === 0) return Object.keys(projectConfigSchema.shape);
  const shapes: Record<string, readonly string[]> = {
    flink: Object.keys(flinkConfigSchema.shape),
    kafka: Object.keys(kafkaConfigSchema.shape),
    connect: Object.keys(connectConfigSchema.shape),
  };
  return [...(ownEntry(shapes, String(keys[keys.length - 1])) ?? [])];
}

/** The node at a path; `keyNode` selects the key of the last step (for unknown keys). */
function spanOf(doc: Document, keys: readonly (string | number)[], source: SourceFile, keyNode = false): Span | undefined {
  if (keyNode) {
    const parent = keys.length > 1 ? doc.getIn(keys.slice(0, -1), true) : doc.contents;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === keys[keys.length - 1]);
      if (pair && isNode(pair.key) && pair.key.range) return { file: source.path, start: pair.key.range[0], end: pair.key.range[1] };
    }
    return undefined;
  }
  const node = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
  if (isNode(node) && node.range) return { file: source.path, start: node.range[0], end: Math.max(node.range[1], node.range[0] + 1) };
  return undefined;
}

/** For a missing key, point at the closest enclosing node that exists. */
function nearestSpan(doc: Document, keys: readonly (string | number)[], source: SourceFile): Span | undefined {
  for (let n = keys.length - 1; n >= 0; n--) {
    const span = spanOf(doc, keys.slice(0, n), source);
    if (span) {
      const line = source.text.indexOf('\n', span.start);
      return { file: span.file, start: span.start, end: line === -1 ? span.end : Math.min(span.end, line) };
    }
  }
  return undefined;
}
