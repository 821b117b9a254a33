/**
 * Text Flink parses at run time, on the engine, both lines. Date-time patterns: literal ones pipec accepts (quoted
 * text, an escaped quote, a zone letter where parsing reads it) run and parse; one read from a column (which pipec
 * cannot check) with a letter its Java class does not know, or quoted text left open, does what
 * docs/functions.md says: to_timestamp (DateTimeFormatter) answers NULL, to_date (SimpleDateFormat) fails the job.
 * to_date of text its format does not parse answers NULL (pipec's guard). Base64: unpadded text pipec accepts
 * decodes; text Java's decoder refuses, read from a column, fails the job.
 * Such literals are refused at compile time (test/unit/stdlib/functions.test.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runOne } from '../../../compiler/cli/test.ts';
import { checkTestFile } from '../../../compiler/testing/check-tests.ts';
import { passed, renderHumanResult, type TestResult } from '../../../compiler/testing/report.ts';
import { parseTestFile } from '../../../compiler/testing/test-file.ts';
import { FlinkTestSession } from '../../../targets/flink-sql/test-runner/index.ts';
import { compileProject } from '../../helpers/compile-project.ts';

const SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Text',
  namespace: 'test',
  fields: ['id', 'day', 'at', 'day_format', 'at_format', 'b64'].map((name) => ({ name, type: 'string' })),
});

// The first pattern is `'day' dd.MM.yyyy ''` (quoted text, then an escaped quote), written as a .pipe string.
const PIPE = `pipeline patterns;
source texts from kafka topic 'texts' format avro;
stream parsed as
  select
    id,
    to_date(day, '''day'' dd.MM.yyyy ''''') as day,
    to_timestamp(at, 'uuuu-MM-dd''T''HH:mm VV') as at,
    to_date(day, day_format) as day_by_column,
    to_timestamp(at, at_format) as at_by_column,
    from_base64('aGVsbG8') as hello,
    from_base64(b64) as decoded
  from texts;
sink parsed into kafka topic 'parsed' format avro;
`;

/** The columns a test changes: patterns and base64 text that parse, and what they parse to. */
const GIVEN = { day_format: "'day' dd.MM.yyyy ''", at_format: "yyyy-MM-dd'T'HH:mm' UTC'", b64: 'aGk=' };
const EXPECTED = { day_by_column: "'2026-01-31'", at_by_column: "'2026-01-31T09:30:00'" };

/** One record with the patterns and the base64 text read from columns, and the row expected if the job runs. */
const testFile = (given: Partial<typeof GIVEN> = {}, expected: Partial<typeof EXPECTED> = {}): string => {
  const g = { ...GIVEN, ...given };
  const e = { ...EXPECTED, ...expected };
  return `pipeline: patterns
tests:
  - name: patterns
    given:
      texts:
        - { id: T-1, day: "day 31.01.2026 '", at: '2026-01-31T09:30 UTC', day_format: "${g.day_format}", at_format: "${g.at_format}", b64: '${g.b64}' }
    expect:
      parsed:
        - { id: T-1, day: '2026-01-31', at: '2026-01-31T09:30:00', day_by_column: ${e.day_by_column}, at_by_column: ${e.at_by_column}, hello: hello, decoded: hi }
`;
};

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pipec-literal-text-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.each(['1.20', '2.2'] as const)('Flink %s', (line) => {
  let session: FlinkTestSession;
  let compiled: Awaited<ReturnType<typeof compileProject>>;
  beforeAll(async () => {
    compiled = await compileProject({ 'patterns.pipe': PIPE, 'schemas/texts-value.avsc': SCHEMA }, (y) => y.replace("version: '1.20'", `version: '${line}'`));
    session = await FlinkTestSession.start(line);
  });
  afterAll(async () => {
    await session.close();
  });

  let runs = 0;
  async function run(files: readonly string[]): Promise<TestResult[]> {
    const out: TestResult[] = [];
    for (const text of files) {
      const parsed = parseTestFile({ path: 'tests/patterns.test.yaml', text });
      const checked = checkTestFile(parsed.file, compiled.result.plan?.pipelines ?? []);
      expect([...parsed.diagnostics, ...checked.diagnostics].map((d) => d.message)).toEqual([]);
      const [t] = checked.tests;
      if (t === undefined) throw new Error('the test file has no test');
      out.push(await runOne(session, t, path.join(work, `${line}-${runs++}`), compiled.config));
    }
    return out;
  }

  test('literal patterns with quoted text and an escaped quote parse; an unknown letter read from a column answers NULL (to_timestamp) or fails the job (to_date)', async () => {
    const [good, unknownToFormatter, openToFormatter, unknownToSimple] = await run([
      testFile(),
      testFile({ at_format: 'yyyy-MM-dd b' }, { at_by_column: 'null' }),
      testFile({ at_format: "yyyy-MM-dd 'open" }, { at_by_column: 'null' }),
      testFile({ day_format: 'dd.MM.yyyy e' }),
    ]);
    for (const r of [good, unknownToFormatter, openToFormatter]) expect(r && passed(r), r ? renderHumanResult(r, 'patterns') : '').toBe(true);
    expect(unknownToSimple?.kind).toBe('error');
    expect(unknownToSimple?.kind === 'error' && unknownToSimple.error).toContain("Illegal pattern character 'e'");
  });

  test('to_date of text its format does not parse answers NULL (Flink alone answers +1705471-09-27)', async () => {
    const [unparsed] = await run([testFile({ day_format: 'yyyy-MM-dd' }, { day_by_column: 'null' })]);
    expect(unparsed && passed(unparsed), unparsed ? renderHumanResult(unparsed, 'patterns') : '').toBe(true);
  });

  test('unpadded base64 decodes; text the decoder refuses fails the job', async () => {
    const [good, refused] = await run([testFile({ b64: 'aGk' }), testFile({ b64: 'ab=' })]);
    expect(good && passed(good), good ? renderHumanResult(good, 'patterns') : '').toBe(true);
    expect(refused?.kind).toBe('error');
    expect(refused?.kind === 'error' && refused.error).toContain('wrong 4-byte ending unit');
  });
});
