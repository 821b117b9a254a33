/**
 * A schema validator's (zod's) issue about a settings file (pipec.yaml, `<subject>.meta.yaml`, pipec.lock) in
 * pipec's words: the setting's dotted path, what was found, what is expected, and a hint. Every place that
 * validates what a user wrote goes through `describeIssue`, so no validator's own wording reaches a user.
 */
import type { ZodError } from 'zod';
import { suggestionList } from './suggest.ts';

export type ValidationIssue = ZodError['issues'][number];

export interface DescribedIssue {
  /** Dotted path of the setting (`connections.warehouse.type`); empty for the file itself. */
  readonly path: string;
  /** What is wrong: what was expected, what was found. */
  readonly problem: string;
  readonly hint: string | undefined;
}

export interface DescribeOptions {
  /** The text the user wrote for the value, as in the file (`1.20`), when the caller has it. */
  readonly written?: string | undefined;
  /** The settings a mapping at a path takes, for the did-you-mean of an unknown one. */
  readonly knownKeys?: (path: readonly (string | number)[]) => readonly string[];
  /** What the file's keys are called in messages: a configuration's settings (default), a data file's fields. */
  readonly noun?: 'setting' | 'field';
}

/** `input` is the whole value that was validated: what was found at the issue's path is read from it. */
export function describeIssue(issue: ValidationIssue, input: unknown, options: DescribeOptions = {}): DescribedIssue {
  const keys = pathKeys(issue);
  const path = keys.join('.');
  const found = valueAt(input, keys);
  const { problem, hint } = describe(issue, keys, found, options);
  return { path, problem, hint };
}

/** `path: problem`, or the problem alone for the file itself. */
export function issueSentence(described: DescribedIssue): string {
  return described.path ? `${described.path}: ${described.problem}` : described.problem;
}

/** A missing setting: zod says that a required value has the wrong type `undefined`. */
export function isMissingIssue(issue: ValidationIssue, input: unknown): boolean {
  return issue.code === 'invalid_type' && valueAt(input, pathKeys(issue)) === undefined;
}

function pathKeys(issue: ValidationIssue): (string | number)[] {
  return issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
}

function describe(issue: ValidationIssue, keys: readonly (string | number)[], found: unknown, options: DescribeOptions): { problem: string; hint: string | undefined } {
  const shown = showFound(found);
  switch (issue.code) {
    case 'invalid_type':
      if (found === undefined) return { problem: `missing required ${options.noun ?? 'setting'}`, hint: `add \`${String(keys[keys.length - 1] ?? 'it')}:\` with ${expectedType(issue.expected)}` };
      return { problem: `expected ${expectedType(issue.expected)}, found ${shown}`, hint: issue.expected === 'string' ? quoteHint(found, options.written) : undefined };
    case 'invalid_value':
      return oneOf(issue.values, found, options.written);
    case 'invalid_union':
      if ('options' in issue && Array.isArray(issue.options)) return oneOf(issue.options, found, options.written);
      return { problem: `found ${shown}, which is none of the forms this setting takes${unionForms(issue.errors)}`, hint: undefined };
    case 'too_small':
      return { problem: bound('at least', 'more than', issue.minimum, issue.inclusive ?? true, issue.origin, shown), hint: undefined };
    case 'too_big':
      return { problem: bound('at most', 'less than', issue.maximum, issue.inclusive ?? true, issue.origin, shown), hint: undefined };
    case 'invalid_format':
      return { problem: `expected ${formatName(issue.format)}, found ${shown}`, hint: issue.format === 'url' ? 'write the whole URL with its scheme, e.g. `http://localhost:8081`' : undefined };
    case 'not_multiple_of':
      return { problem: `expected a multiple of ${String(issue.divisor)}, found ${shown}`, hint: undefined };
    case 'unrecognized_keys': {
      const known = options.knownKeys?.(keys) ?? [];
      const named = issue.keys.map((k) => {
        const close = suggestionList(k, known)[0];
        return close ? `\`${k}\` (did you mean \`${close}\`?)` : `\`${k}\``;
      });
      const noun = options.noun ?? 'setting';
      return { problem: `unknown ${noun} ${named.join(', ')}`, hint: known.length > 0 ? `the ${noun}s here are ${known.map((k) => `\`${k}\``).join(', ')}` : undefined };
    }
    case 'invalid_key': {
      // A key of a mapping does not fit (e.g. a rule level for a code that is not a warning's).
      const inner = issue.issues[0];
      const nested = inner ? describe(inner, keys, undefined, {}) : undefined;
      return { problem: `a key here is not valid${nested ? `: ${nested.problem}` : ''}`, hint: nested?.hint };
    }
    case 'invalid_element': {
      const inner = issue.issues[0];
      const nested = inner ? describe(inner, keys, undefined, {}) : undefined;
      return { problem: `the entry ${showValue(issue.key)} is not valid${nested ? `: ${nested.problem}` : ''}`, hint: nested?.hint };
    }
    case 'custom':
      // Custom issues are pipec's own sentences (the schemas' refinements).
      return { problem: issue.message, hint: undefined };
  }
}

function oneOf(allowed: readonly unknown[], found: unknown, written: string | undefined): { problem: string; hint: string | undefined } {
  const values = allowed.map(showValue);
  const expected = values.length === 1 ? values[0] ?? '' : `one of ${values.join(', ')}`;
  const problem = `expected ${expected}, found ${showFound(found)}`;
  const strings = allowed.filter((v): v is string => typeof v === 'string');
  if (typeof found === 'string') {
    const close = suggestionList(found, strings)[0];
    return { problem, hint: close ? `did you mean ${showValue(close)}?` : undefined };
  }
  // Without the text as written, an allowed value that YAML reads as this number is what was meant (`1.20`).
  const meant = written ?? strings.find((v) => typeof found === 'number' && Number(v) === found);
  return { problem, hint: strings.length > 0 ? quoteHint(found, meant) : undefined };
}

/** YAML reads `1.20` as the number 1.2 and `yes`-like words or `2` as non-text: say so, and how to write text. */
function quoteHint(found: unknown, written: string | undefined): string | undefined {
  if (typeof found !== 'number' && typeof found !== 'boolean') return undefined;
  const kind = typeof found === 'number' ? 'number' : 'boolean';
  const text = written?.trim() ?? String(found);
  if (text !== String(found)) return `\`${text}\` was read as the ${kind} ${String(found)}; write \`'${text}'\` in quotes`;
  return `YAML reads \`${text}\` as a ${kind}; write \`'${text}'\` in quotes to make it text`;
}

function bound(inclusiveWord: string, exclusiveWord: string, limit: number | bigint, inclusive: boolean, origin: string, shown: string): string {
  const word = inclusive ? inclusiveWord : exclusiveWord;
  const n = String(limit);
  switch (origin) {
    case 'string':
      if (inclusiveWord === 'at least' && n === '1' && inclusive) return `expected a non-empty text, found ${shown}`;
      return `expected ${word} ${n} characters, found ${shown}`;
    case 'array':
    case 'set':
      return `expected ${word} ${n} entries, found ${shown}`;
    default:
      return `expected ${word} ${n}, found ${shown}`;
  }
}

function unionForms(branches: readonly (readonly ValidationIssue[])[]): string {
  const forms = [...new Set(branches.flatMap((b) => b.flatMap((i) => (i.code === 'invalid_type' && i.path.length === 0 ? [expectedType(i.expected)] : []))))];
  return forms.length > 0 ? ` (${forms.join(' or ')})` : '';
}

function expectedType(expected: string): string {
  switch (expected) {
    case 'string': return 'a text';
    case 'number': return 'a number';
    case 'int': return 'a whole number';
    case 'boolean': return '`true` or `false`';
    case 'object': return 'a mapping (`key: value` lines)';
    case 'record': return 'a mapping (`key: value` lines)';
    case 'array': return 'a list';
    case 'null': return 'nothing';
    default: return `a ${expected}`;
  }
}

function formatName(format: string): string {
  switch (format) {
    case 'url': return 'a URL';
    case 'regex': return 'a text of the expected form';
    default: return `a ${format}`;
  }
}

/** What was found, in words: the number 1.2, the text 'postgress', a list, nothing. */
function showFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return value === '' ? 'an empty text' : `the text ${showValue(value)}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return `\`${String(value)}\``;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return 'a value of another kind';
}

function showValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
  return String(value);
}

function valueAt(input: unknown, keys: readonly (string | number)[]): unknown {
  let here = input;
  for (const key of keys) {
    if (typeof here !== 'object' || here === null) return undefined;
    // Own properties only: a key like `__proto__` is a plain key of the user's file.
    here = Object.prototype.hasOwnProperty.call(here, key) ? (here as Record<string | number, unknown>)[key] : undefined;
  }
  return here;
}
