/**
 * `${pipec:…}` placeholders come from pipec only: a string or a name in a `.pipe` file holding one is an error at
 * its span, so a deploy never fills a secret into a job's data. `secret('…')` names are checked where written.
 */
import { expect, test } from 'vitest';
import { fillPlaceholders, opensPlaceholder, placeholdersIn } from '../../../stdlib/placeholders.ts';
import { compileFiles, findings, PRELUDE } from '../../helpers/check.ts';

const compileBody = (body: string) => compileFiles({ 'p.pipe': `pipeline p with (checkpoint = 10 s);\n${PRELUDE}\n${body}` });

test('a placeholder in a string literal is an error at the literal, and nothing is emitted', () => {
  const result = compileBody("stream leaked as select '${pipec:kafka.properties.sasl.jaas.config}' as leaked from payments;\nsink leaked into kafka topic 'o' format avro;");
  expect(findings(result)).toEqual([{ code: 'placeholder-in-text', line: 1, column: 25 }]);
  expect(result.diagnostics[0]?.span).toMatchObject({ end: (result.diagnostics[0]?.span?.start ?? 0) + 44 });
  expect(result.output).toBeUndefined();
});

test('in a quoted name, a `with` key or value, a topic, an owner: every place user text reaches an artifact', () => {
  const cases = [
    "stream s as select amount as `${pipec:registry.url}` from payments;\nsink s into kafka topic 'o' format avro;",
    "sink payments into kafka topic 'o' format avro with ('linger.ms' = '${pipec:secret.x}');",
    "sink payments into kafka topic 'o' format avro with ('${pipec:x}' = '1');",
    "sink payments into kafka topic '${pipec:flink.plan_path}' format avro;",
    // Any spelling the filler might ever accept.
    "sink payments into kafka topic 'o' format avro with ('a' = '${ PIPEC :x}');",
  ];
  for (const body of cases) expect(compileBody(body).diagnostics.map((d) => d.code)).toEqual(['placeholder-in-text']);
  const header = compileFiles({ 'p.pipe': "pipeline p owner '${pipec:secret.a}' with (checkpoint = 10 s);\nsource payments from kafka topic 'payments' format avro;\nsink payments into kafka topic 'o' format avro;" });
  expect(header.diagnostics.map((d) => d.code)).toEqual(['placeholder-in-text']);
});

test('a file whose path holds a placeholder is reported', () => {
  const result = compileFiles({ '${pipec:x}.pipe': "pipeline p;\nsource payments from kafka topic 'payments' format avro;\nsink payments into kafka topic 'o' format avro;" });
  expect(result.diagnostics.map((d) => d.code)).toEqual(['placeholder-in-text']);
});

test('text that only looks alike compiles; the job lists only pipec\'s own placeholders', () => {
  const result = compileBody("stream s as select '$' || '{pipec:x}' as a, '${env:X}' as b from payments;\nsink s into kafka topic 'o' format avro;");
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const manifest = result.output?.artifacts.find((a) => a.path === 'manifest.json')?.contents ?? '';
  expect(JSON.parse(manifest).pipelines[0].job.placeholders).toEqual(['flink.plan_path', 'kafka.bootstrap_servers', 'registry.url']);
});

test('secret names: lowercase letters, digits and `-`, starting with a letter, at most 64 characters', () => {
  const withSecret = (name: string) => compileBody(`stream s as select payment_id from payments;\nsink s into kafka topic 'o' format avro with ('sasl.jaas.config' = secret('${name}'));`).diagnostics.map((d) => d.code);
  expect(withSecret('kafka-jaas')).toEqual([]);
  expect(withSecret('a'.repeat(64))).toEqual([]);
  for (const bad of ['Kafka-Jaas', 'a b', 'a_b', 'a.b', '1a', '', 'a'.repeat(65), 'x}']) expect(withSecret(bad)).toEqual(['invalid-secret-name']);
});

test('opensPlaceholder is a superset of what placeholdersIn finds', () => {
  for (const text of ['${pipec:a}', 'x${pipec:a.b-c}y', '${PIPEC:a}', '${ pipec :a}']) expect(opensPlaceholder(text)).toBe(true);
  expect(placeholdersIn('x${pipec:a.b-c}y')).toEqual(['a.b-c']);
  for (const text of ['$', '{pipec:a}', '${env:A}', '$ {pipec:a}']) expect(opensPlaceholder(text)).toBe(false);
});

test('filled values are escaped for where the placeholder sits: a quote in a password stays inside its string', () => {
  const value = `it's "x" \\ ${'\n'}','evil' = 'y`;
  const sql = fillPlaceholders("'properties.sasl.jaas.config' = '${pipec:kafka.properties.sasl.jaas.config}'", { 'kafka.properties.sasl.jaas.config': value }, 'sql-string');
  expect(sql).toBe(`'properties.sasl.jaas.config' = '${value.replaceAll("'", "''")}'`);
  const config = { 'connection.password': '${pipec:secret.db}', other: 'x' };
  const json = fillPlaceholders(JSON.stringify(config), { 'secret.db': value }, 'json-string');
  expect(JSON.parse(json)).toEqual({ 'connection.password': value, other: 'x' });
  expect(fillPlaceholders('${pipec:a}', { a: value }, 'value')).toBe(value);
  expect(fillPlaceholders('${pipec:a} ${pipec:b}', { a: '1' }, 'value')).toBe('1 ${pipec:b}');
});
