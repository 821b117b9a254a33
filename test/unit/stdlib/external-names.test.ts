/** The rules of the names other systems take. */
import { expect, test } from 'vitest';
import { connectorNameProblem, kafkaIdProblem, kafkaTopicProblem, mixesPeriodAndUnderscore, sqlTableProblem, subjectProblem } from '../../../stdlib/external-names.ts';

test('Kafka topics: [a-zA-Z0-9._-], at most 249 characters, not . or ..', () => {
  for (const ok of ['payments', 'loans.public.loans', 'a-b_c.D9', 'x'.repeat(249), '...']) expect(kafkaTopicProblem(ok)).toBeUndefined();
  expect(kafkaTopicProblem('rides-ê')).toBe('it contains `ê`; a topic name takes only ASCII letters, digits, `.`, `_` and `-`');
  expect(kafkaTopicProblem('has space/and:colon')).toMatch(/^it contains a space;/);
  expect(kafkaTopicProblem('a/b')).toMatch(/^it contains `\/`;/);
  expect(kafkaTopicProblem('a\nb')).toMatch(/^it contains U\+000A;/);
  expect(kafkaTopicProblem('.')).toBe('Kafka reserves `.` and `..`');
  expect(kafkaTopicProblem('..')).toBe('Kafka reserves `.` and `..`');
  expect(kafkaTopicProblem('')).toBe('it is empty');
  expect(kafkaTopicProblem('x'.repeat(250))).toBe("it is 250 characters long, more than Kafka's 249");
  expect(mixesPeriodAndUnderscore('a.b_c')).toBe(true);
  expect(mixesPeriodAndUnderscore('a.b.c')).toBe(false);
});

test('subjects: no control characters, no /', () => {
  expect(subjectProblem('payments-value')).toBeUndefined();
  expect(subjectProblem('com.acme.Payment')).toBeUndefined();
  expect(subjectProblem('a/b')).toMatch(/`\/`/);
  expect(subjectProblem('a\u0000b')).toMatch(/U\+0000/);
  // A line separator broke the manifest (an internal error) before.
  expect(subjectProblem('a\u2028')).toMatch(/U\+2028/);
  expect(subjectProblem('')).toBe('it is empty');
});

test('connector names: not blank, not padded, no control characters, no /', () => {
  expect(connectorNameProblem('missed_payments-prod-missed_postgres')).toBeUndefined();
  expect(connectorNameProblem(' x')).toMatch(/white space/);
  expect(connectorNameProblem('a/b')).toMatch(/`\/`/);
  expect(connectorNameProblem('a\u001bb')).toMatch(/U\+001B/);
});

test('group and transactional ids: Kafka protocol strings without control characters', () => {
  expect(kafkaIdProblem('lendwell.prod.missed_payments')).toBeUndefined();
  expect(kafkaIdProblem('é'.repeat(16_384))).toBe("it is 32768 bytes long, more than Kafka's 32767");
  expect(kafkaIdProblem('a\u0085')).toMatch(/U\+0085/);
});

test('database tables: table or schema.table, unquoted identifiers within the length limit', () => {
  for (const ok of ['loans', 'public.loans', 'collections.missed_per_hour', '_x.$y1'.replace('$', 'd$')]) expect(sqlTableProblem(ok, 'postgres')).toBeUndefined();
  expect(sqlTableProblem('a.b.c', 'postgres')).toBe('it has 3 parts; write `table` or `schema.table`');
  expect(sqlTableProblem('public.', 'postgres')).toBe('a part of it is empty');
  expect(sqlTableProblem('public.1st', 'postgres')).toMatch(/^it contains `1` at the start of a part/);
  expect(sqlTableProblem('public.ta-ble', 'postgres')).toMatch(/^it contains `-`/);
  expect(sqlTableProblem('public.Stra\u00dfe', 'mysql')).toMatch(/^it contains `ß`/);
  expect(sqlTableProblem(`public.${'t'.repeat(63)}`, 'postgres')).toBeUndefined();
  expect(sqlTableProblem(`public.${'t'.repeat(64)}`, 'postgres')).toBe(`\`${'t'.repeat(64)}\` is 64 bytes long; PostgreSQL cuts identifiers to 63`);
  expect(sqlTableProblem(`db.${'t'.repeat(64)}`, 'mysql')).toBeUndefined();
  expect(sqlTableProblem(`db.${'t'.repeat(65)}`, 'mysql')).toMatch(/more than MySQL's 64/);
});
