/**
 * Fuzz over the text a user controls — quoted names, string literals, topics, subjects, `with (…)` keys and
 * values, the owner, the file's path — built from the pieces that break things: `${pipec:…}`, line breaks,
 * terminal controls, `::` workflow commands, quotes, non-ASCII letters. Whatever the text, the compile:
 * - never throws (an internal error would be exit 3);
 * - writes no `${pipec:…}` placeholder that pipec did not write itself (a deploy would fill it into the data);
 * - prints no line, on stdout or stderr, that GitHub Actions would run as a workflow command, other than
 *   pipec's own annotations, and no raw control character to a terminal.
 * Runs are bounded so the suite stays fast; a failure prints its seed and input.
 */
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { printer, type OutputFormat } from '../../../compiler/cli/output.ts';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.ts';
import type { SourceLookup } from '../../../compiler/diagnostics/render.ts';
import { opensPlaceholder, placeholdersIn } from '../../../stdlib/placeholders.ts';
import { compileFiles } from '../../helpers/check.ts';

const PIECES = [
  'a', 'Z', '_', '.', '-', '9', ' ', 'ê', 'ß', '😀', '/', ':', '::', ',', '%', '%0A', '`', "'", '"', '{', '}', '$',
  '\n', '\r', '\r\n', '\t', '\u0000', '\u001b[2J', '\u009b', '\u007f', '\u2028',
  '${pipec:', '${pipec:kafka.properties.sasl.jaas.config}', '${pipec:registry.url}', '${PIPEC:x}', '${env:X}',
  '::error file=evil.pipe,line=1::owned', '::add-mask::x', '::stop-commands::t',
];
const userText = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));

const quoteName = (s: string): string => `\`${s.replaceAll('`', '``')}\``;
const quoteString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Where user text goes: each place a name or string reaches an artifact or a message. */
const PLACES: Readonly<Record<string, (t: string) => string>> = {
  stream: (t) => `stream ${quoteName(t)} as select payment_id, amount from payments;\nsink ${quoteName(t)} into kafka topic 'out' format avro;`,
  column: (t) => `stream s as select payment_id as ${quoteName(t)} from payments;\nsink s into kafka topic 'out' format avro;`,
  literal: (t) => `stream s as select payment_id, ${quoteString(t)} as note from payments;\nsink s into kafka topic 'out' format avro;`,
  topic: (t) => `stream s as select payment_id from payments;\nsink s into kafka topic ${quoteString(t)} format avro;`,
  subject: (t) => `stream s as select payment_id from payments;\nsink s into kafka topic 'out' format avro subject ${quoteString(t)};`,
  withValue: (t) => `stream s as select payment_id from payments;\nsink s into kafka topic 'out' format avro with ('properties.linger.ms' = ${quoteString(t)});`,
  withKey: (t) => `stream s as select payment_id from payments;\nsink s into postgres table 'public.out' via connection warehouse upsert key (payment_id) with (${quoteString(t)} = '1');`,
  secret: (t) => `stream s as select payment_id from payments;\nsink s into kafka topic 'out' format avro with ('properties.sasl.jaas.config' = secret(${quoteString(t)}));`,
  unknownName: (t) => `stream s as select ${quoteName(t)} from payments;\nsink s into kafka topic 'out' format avro;`,
};

const SOURCE = "source payments from kafka topic 'payments' format avro event time event_time watermark 5 s;";

/** The placeholders pipec writes itself. */
const PIPECS_OWN = /^(kafka\.bootstrap_servers|registry\.url|registry\.user_info|registry\.apicurio_url|flink\.plan_path|kafka\.properties\.[A-Za-z0-9_.-]+|secret\.[a-z][a-z0-9-]*)$/;

function printed(diagnostics: readonly Diagnostic[], sources: SourceLookup, format: OutputFormat): { stdout: string; stderr: string } {
  const capture = () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
  };
  const out = capture();
  const err = capture();
  const print = printer(format, out.stream, err.stream);
  print.diagnostics(diagnostics, { sources, fileOrder: [] });
  print.finish();
  return { stdout: out.text(), stderr: err.text() };
}

/** Lines the GitHub runner reads as commands (it splits on line feeds; leading white space is ignored). */
const commandLines = (text: string): string[] => text.split(/\r?\n|\r/).filter((l) => l.trimStart().startsWith('::'));
const ANNOTATION = /^::(error|warning|notice) (file=[^,:]*,)?(line=\d+,col=\d+,endLine=\d+,endColumn=\d+,)?title=pipec [a-z-]+::[^\r\n]*$/;

/** What is wrong with the compile of these files; empty when nothing is. */
function problems(files: Readonly<Record<string, string>>, typed: string): string[] {
  const found: string[] = [];
  const result = compileFiles(files);
  for (const a of result.output?.artifacts ?? []) {
    for (const name of placeholdersIn(a.contents)) if (!PIPECS_OWN.test(name)) found.push(`${a.path} holds the user's placeholder ${name}`);
  }
  if (result.output && opensPlaceholder(typed)) found.push('text holding ${pipec: compiled');
  const sources: SourceLookup = (p) => result.parsed.find((x) => x.source.path === p)?.source;
  const github = printed(result.diagnostics, sources, 'github');
  for (const line of commandLines(github.stdout)) if (!ANNOTATION.test(line)) found.push(`stdout command line: ${JSON.stringify(line)}`);
  if (commandLines(github.stdout).length !== result.diagnostics.length) found.push('stdout has another number of command lines than diagnostics');
  for (const line of commandLines(github.stderr)) found.push(`stderr command line: ${JSON.stringify(line)}`);
  const human = printed(result.diagnostics, sources, 'human');
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028]/.test(human.stderr)) found.push('human output holds a control character');
  return found;
}

describe('user text fuzz', () => {
  test.each(Object.keys(PLACES))('in a %s', (place) => {
    const build = PLACES[place];
    if (!build) throw new Error(place);
    fc.assert(
      fc.property(userText, (t) => {
        expect(problems({ 'p.pipe': `pipeline p with (checkpoint = 10 s);\n${SOURCE}\n${build(t)}\n` }, t)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  test('in the owner and the file path', () => {
    fc.assert(
      fc.property(userText, userText, (owner, file) => {
        const text = `pipeline p owner ${quoteString(owner)} with (checkpoint = 10 s);\n${SOURCE}\nstream s as select payment_id from payments;\nsink s into kafka topic 'out' format avro;\n`;
        expect(problems({ [`${file}.pipe`]: text }, `${owner}${file}`)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
