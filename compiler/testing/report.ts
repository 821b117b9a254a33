/** Test results as a test runner shows them: per test pass or fail with a readable diff, a JSON document, JUnit XML. Pure. */
import type { SinkOutcome, DiffLine } from './compare.ts';
import type { CanonicalRow } from './check-tests.ts';
import { showValue } from './values.ts';
import type { Span } from '../source/source.ts';

export type TestResult =
  | { readonly kind: 'ran'; readonly file: string; readonly name: string; readonly span: Span; readonly ms: number; readonly sinks: readonly SinkOutcome[] }
  | { readonly kind: 'error'; readonly file: string; readonly name: string; readonly span: Span; readonly ms: number; readonly error: string };

export const passed = (r: TestResult): boolean => r.kind === 'ran' && r.sinks.every((s) => s.passed);

const rowLine = (row: CanonicalRow): string => `{ ${Object.entries(row).map(([k, v]) => `${k}: ${showValue(v)}`).join(', ')} }`;

function diffLine(d: DiffLine): string {
  switch (d.kind) {
    case 'missing':
      return `- missing  ${d.key !== undefined ? `${d.key} ` : ''}${rowLine(d.row)}`;
    case 'extra':
      return `+ extra    ${d.key !== undefined ? `${d.key} ` : ''}${rowLine(d.row)}`;
    case 'changed':
      return `~ changed  ${d.key}: ${d.columns.map((c) => `${c.column} expected ${showValue(c.expected)}, got ${showValue(c.actual)}`).join('; ')}`;
    case 'change':
      return `~ change #${d.index + 1}: expected ${d.expected ? `${d.expected.kind} ${rowLine(d.expected.row)}` : 'nothing'}, got ${d.actual ? `${d.actual.kind} ${rowLine(d.actual.row)}` : 'nothing'}`;
  }
}

function modeText(s: SinkOutcome): string {
  switch (s.mode) {
    case 'rows':
      return 'rows, in any order';
    case 'final-state':
      return `final row per key (${s.sink.keyColumns.join(', ')})`;
    case 'changelog':
      return 'exact changelog';
  }
}

/** The failure text of one test: what went wrong, per sink. */
export function failureText(r: TestResult): string {
  if (r.kind === 'error') return r.error;
  return r.sinks
    .filter((s) => !s.passed)
    .map((s) => [`${s.sink.input} (${modeText(s)}):`, ...s.diff.map((d) => `  ${diffLine(d)}`)].join('\n'))
    .join('\n');
}

export function renderHumanResult(r: TestResult, where: string): string {
  const head = `${passed(r) ? 'PASS' : 'FAIL'}  ${where}  ${r.name}  (${(r.ms / 1000).toFixed(1)} s)`;
  return passed(r) ? head : `${head}\n${failureText(r).split('\n').map((l) => `      ${l}`).join('\n')}`;
}

export function resultJson(r: TestResult, where: string): unknown {
  return {
    file: r.file,
    location: where,
    name: r.name,
    passed: passed(r),
    ms: r.ms,
    ...(r.kind === 'error'
      ? { error: r.error }
      : { sinks: r.sinks.map((s) => ({ sink: s.sink.input, table: s.sink.table, mode: s.mode, passed: s.passed, diff: s.diff, actual: s.mode === 'changelog' ? s.actualChanges : s.actualRows })) }),
  };
}

const xml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** JUnit XML: one test suite per test file, one test case per test. */
export function junitXml(results: readonly TestResult[]): string {
  const files = [...new Set(results.map((r) => r.file))];
  const suites = files.map((file) => {
    const mine = results.filter((r) => r.file === file);
    const cases = mine.map((r) => {
      const body = passed(r) ? '' : r.kind === 'error' ? `\n      <error message="${xml(r.error.split('\n')[0] ?? '')}">${xml(r.error)}</error>\n    ` : `\n      <failure message="rows differ">${xml(failureText(r))}</failure>\n    `;
      return `    <testcase classname="${xml(file)}" name="${xml(r.name)}" time="${(r.ms / 1000).toFixed(3)}">${body}</testcase>`;
    });
    const failures = mine.filter((r) => r.kind === 'ran' && !passed(r)).length;
    const errors = mine.filter((r) => r.kind === 'error').length;
    const time = mine.reduce((t, r) => t + r.ms, 0) / 1000;
    return `  <testsuite name="${xml(file)}" tests="${mine.length}" failures="${failures}" errors="${errors}" time="${time.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('\n')}\n</testsuites>\n`;
}

/** A GitHub Actions annotation on the test's line. */
export function githubAnnotation(r: TestResult, line: number, column: number): string {
  const message = `test "${r.name}" failed\n${failureText(r)}`.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return `::error file=${r.file},line=${line},col=${column},title=pipec test::${message}`;
}
