/**
 * User text on stdout and stderr: no line a user wrote reaches GitHub Actions as a workflow command, no control
 * character reaches a terminal, and a huge name is not echoed whole.
 */
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { printer, type OutputFormat } from '../../../compiler/cli/output.ts';
import { escapeControls, pictureControls, shorten } from '../../../compiler/diagnostics/user-text.ts';
import { explain } from '../../../compiler/explain/explain.ts';
import { checkFiles } from '../../helpers/check.ts';

/** What `pipec check` prints for these files in a format: stdout and stderr. */
export function printed(files: Readonly<Record<string, string>>, format: OutputFormat): { stdout: string; stderr: string; count: number } {
  const result = checkFiles(files);
  const collect = (): { stream: PassThrough; text: () => string } => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    return { stream, text: () => chunks.join('') };
  };
  const out = collect();
  const err = collect();
  const print = printer(format, out.stream, err.stream);
  print.diagnostics(result.diagnostics, { sources: (p) => result.parsed.find((x) => x.source.path === p)?.source, fileOrder: [] });
  print.finish();
  return { stdout: out.text(), stderr: err.text(), count: result.diagnostics.length };
}

/** The lines GitHub's runner would read as workflow commands. */
export const commandLines = (text: string): string[] => text.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith('::'));

const INJECTION = 'pipeline p;\nstream s as select amount from `x\n::error file=evil.pipe,line=1::owned`;\nsink s into kafka topic \'o\' format avro;\n';

test('a quoted name with a line break and `::error …` is no workflow command under --format github', () => {
  const { stdout, stderr, count } = printed({ 'p.pipe': INJECTION }, 'github');
  expect(count).toBeGreaterThan(0);
  // Only pipec's own annotations, one per diagnostic, on stdout; none on stderr.
  expect(commandLines(stdout)).toHaveLength(count);
  for (const line of commandLines(stdout)) expect(line).toMatch(/^::(error|warning|notice) file=p\.pipe,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=pipec [a-z-]+::/);
  expect(commandLines(stderr)).toEqual([]);
  // The user's text is there, escaped, in the middle of a line.
  expect(stdout).toContain('`x\\n::error file=evil.pipe,line=1::owned`');
  expect(stderr).toContain('`x\\n::error file=evil.pipe,line=1::owned`');
});

test('file names in annotation properties are escaped, control characters included', () => {
  const { stdout } = printed({ 'a\n::warning::x,y.pipe': 'stream s as select amout from nowhere;\n' }, 'github');
  expect(commandLines(stdout).length).toBeGreaterThan(0);
  expect(stdout).toContain('file=a\\n%3A%3Awarning%3A%3Ax%2Cy.pipe');
});

test('human output carries no terminal control character from user text', () => {
  const { stderr } = printed({ 'p.pipe': "pipeline p;\nsource payments from kafka topic 'payments' format avro;\nstream s as select amout as `\u001b[2J\u009bx` from payments;\n" }, 'human');
  expect(stderr).toContain('error[');
  expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  expect(stderr).toContain('␛[2J');
});

test('a 1 MiB name is shortened in the message', () => {
  const name = 'n'.repeat(1024 * 1024);
  const { stderr } = printed({ 'p.pipe': `pipeline p;\nsource payments from kafka topic 'payments' format avro;\nstream s as select ${name} from payments;\n` }, 'human');
  expect(stderr).toContain(`\`${'n'.repeat(60)}… (1048576 characters)\``);
  expect(stderr.length).toBeLessThan(4000);
});

test('escapes: line breaks and other controls become visible, column-preserving pictures under the underline', () => {
  expect(escapeControls('a\nb\rc\td\u001be\u0085f\u2028')).toBe('a\\nb\\rc\\td\\x1be\\x85f\\u2028');
  expect(pictureControls('a\u001bb\u007fc\u009b')).toBe('a␛b␡c\ufffd');
  expect(pictureControls('a\u001bb').length).toBe(3);
  expect(shorten('x'.repeat(120))).toBe('x'.repeat(120));
  expect(shorten('x'.repeat(121))).toBe(`${'x'.repeat(60)}… (121 characters)`);
  // A surrogate pair is never cut in half.
  expect(shorten(`${'x'.repeat(59)}😀${'y'.repeat(100)}`)).toBe(`${'x'.repeat(59)}… (161 characters)`);
});

test('pipec explain prints a name with a line break on one line', () => {
  const result = checkFiles({ 'p.pipe': "pipeline p;\nsource payments from kafka topic 'payments' format avro;\nstream s as select amount as `x\n::error file=evil.pipe::owned` from payments;\nsink s into kafka topic 'o' format avro;\n" });
  if (!result.program) throw new Error('does not bind');
  const text = explain(result.program, '');
  expect(text).toContain('x\\n::error file=evil.pipe::owned');
  expect(commandLines(text)).toEqual([]);
});
