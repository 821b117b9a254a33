/**
 * What the docs say a source reads is what pipec reads: the subjects of a `primary key` topic and of a CDC table
 * (docs/language.md, docs/schemas.md); and where Kafka Connect connectors get a connection's credentials from
 * (docs/local-stack.md): references in their config, resolved from the environment the worker inherits.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { collectSubjects } from '../../../compiler/compile.ts';
import { startDetached } from '../../../local/proc.ts';
import { compileFiles, parseFiles, testConfig } from '../../helpers/check.ts';

const raw = (name: string): string => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');
/** A document's prose on one line, so a sentence is found wherever the lines break. */
const prose = (name: string): string => raw(name).replace(/\s+/g, ' ');

const match = (re: RegExp, text: string): RegExpExecArray => {
  const m = re.exec(text);
  if (!m) throw new Error(`the docs no longer say ${String(re)}`);
  return m;
};

test('a primary-key topic reads the subjects the keys paragraph names: <topic>-value and <topic>-key', () => {
  const language = raw('language.md');
  const section = language.slice(language.indexOf('**Keys and their schema.**'));
  const snippet = match(/```pipe\n([\s\S]*?)```/, section)[1] ?? '';
  const stated = match(/reads two subjects, `([^`]+)` and `([^`]+)`/, section.replace(/\s+/g, ' '));
  const subjects = collectSubjects(parseFiles({ 'doc.pipe': snippet }), testConfig).map((s) => s.subject);
  expect(subjects).toEqual([stated[1], stated[2]]);
  expect(prose('schemas.md')).toContain('`t-value` and `t-key`: the key has a schema of its own');
});

test('a CDC source reads the value subject of <prefix>.<table>, and no key subject', () => {
  const language = prose('language.md');
  const [, topic, table, prefix] = match(/The topic is `<prefix>\.<table>`.*?: `([^`]+)` for `postgres table '([^']+)'` through a connection with `topic_prefix: ([a-z_]+)`/, language);
  const subject = match(/reads the columns from the value subject `<topic>-value` \(`([^`]+)`/, language)[1];
  expect(subject).toBe(`${topic ?? ''}-value`);
  const config = { ...testConfig, connections: { db: { type: 'postgres' as const, host: 'h', port: 5432, database: 'd', user: 'u', password: '${env:PW}', topic_prefix: prefix ?? '' } } };
  const parsed = parseFiles({ 'doc.pipe': `source loans from postgres table '${table ?? ''}' via connection db primary key (loan_id);\n` });
  expect(collectSubjects(parsed, config).map((s) => s.subject)).toEqual([subject]);
});

test("connection credentials reach the connector's config as references; the local worker inherits `pipec local up`'s environment", async () => {
  const result = compileFiles({
    'p.pipe': "pipeline p with (checkpoint = 10 s);\nsource loans from postgres table 'public.loans' via connection loans_db primary key (loan_id);\nstream s as select * from loans;\nsink s into kafka topic 'o' upsert key (loan_id);\n",
  });
  const connector = result.output?.artifacts.find((a) => a.contents.includes('"database.password"'));
  expect(connector && (JSON.parse(connector.contents) as Record<string, unknown>)['database.password']).toBe('${env:PW}');
  expect(prose('local-stack.md')).toContain('inherits that command\'s environment, so export the variables before `pipec local up`');

  // The worker is started like every service (local/proc.ts), with the starting command's environment.
  const dir = mkdtempSync(path.join(tmpdir(), 'pipec-env-'));
  const log = path.join(dir, 'worker.log');
  process.env['PIPEC_DOCS_PROBE'] = 'from-up';
  try {
    startDetached({ command: 'sh', args: ['-c', 'printf %s "$PIPEC_DOCS_PROBE"'], cwd: dir, logFile: log });
  } finally {
    delete process.env['PIPEC_DOCS_PROBE'];
  }
  await expect.poll(() => readFileSync(log, 'utf8'), { timeout: 5000 }).toBe('from-up');
});
