/**
 * What is wrong in pipec.yaml, `<subject>.meta.yaml`, pipec.lock and `local:` is said in pipec's words: the
 * setting's dotted path, what was found, what is expected (the allowed values), a hint; never the validator's.
 */
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../compiler/config/load.ts';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.ts';
import { FLINK_LINE_NAMES } from '../../../stdlib/flink-lines.ts';
import { parseLock } from '../../../compiler/schemas/lockfile.ts';
import { parseLocalStackConfig } from '../../../local/config.ts';
import { isLocalStackError } from '../../../local/errors.ts';

/** The validator's own phrases (zod's English locale). */
const ZOD_WORDING = /Invalid (input|option|discriminator|value|type)|Too (small|big)|expected [a-z]+, received|Unrecognized key/;

const configDiagnostics = (text: string, env?: string): readonly Diagnostic[] => {
  const result = parseConfig({ path: 'pipec.yaml', text }, env);
  expect(result.ok).toBe(false);
  for (const d of result.diagnostics) {
    expect(d.message).not.toMatch(ZOD_WORDING);
    for (const h of d.hints) expect(h).not.toMatch(ZOD_WORDING);
  }
  return result.diagnostics;
};

const allowedLines = FLINK_LINE_NAMES.map((l) => `'${l}'`).join(', ');

describe('pipec.yaml', () => {
  test('an unquoted `version: 1.20` is said to be the number 1.2, with the quoted form', () => {
    const [d, ...rest] = configDiagnostics('project: demo\nflink:\n  version: 1.20\n');
    expect(rest).toEqual([]);
    expect(d?.message).toBe(`\`flink.version\`: expected one of ${allowedLines}, found the number 1.2`);
    expect(d?.hints).toEqual(["`1.20` was read as the number 1.2; write `'1.20'` in quotes"]);
  });

  test('in an environment too', () => {
    const [d] = configDiagnostics('project: demo\nenvironments:\n  prod:\n    flink:\n      version: 1.20\n', 'prod');
    expect(d?.message).toContain('found the number 1.2');
    expect(d?.hints).toEqual(["`1.20` was read as the number 1.2; write `'1.20'` in quotes"]);
  });

  test('a misspelt connection type lists the types and proposes the closest', () => {
    const [d] = configDiagnostics('project: demo\nconnections:\n  warehouse:\n    type: postgress\n    host: db\n');
    expect(d?.message).toBe("`connections.warehouse.type`: expected one of 'postgres', 'mysql', 's3', 'elasticsearch', 'opensearch', 'connector', found the text 'postgress'");
    expect(d?.hints).toEqual(["did you mean 'postgres'?"]);
  });

  test('a wrong type, a number out of range and a number where text is wanted', () => {
    const messages = configDiagnostics(
      "project: demo\nkafka:\n  bootstrap_servers: ''\n  default_partitions: 'three'\nconnections:\n  db:\n    type: postgres\n    host: db\n    database: shop\n    user: app\n    password: 1234\n    port: 0\n",
    ).map((d) => [d.message, ...d.hints].join(' | '));
    expect(messages).toEqual([
      '`kafka.bootstrap_servers`: expected a non-empty text, found an empty text',
      "`kafka.default_partitions`: expected a number, found the text 'three'",
      '`connections.db.port`: expected at least 1, found the number 0',
      "`connections.db.password`: expected a text, found the number 1234 | YAML reads `1234` as a number; write `'1234'` in quotes to make it text",
    ]);
  });

  test('a missing setting says what to add', () => {
    const [d] = configDiagnostics('pipelines: .\n');
    expect(d?.message).toBe('`project`: missing required setting');
    expect(d?.hints).toEqual(['add `project:` with a text']);
  });
});

test('pipec.lock: the path, what was found and what is expected', () => {
  const result = parseLock('lockfileVersion: 1\nsubjects:\n  orders-value:\n    version: one\n', 'pipec.lock');
  expect(result.ok).toBe(false);
  const message = result.ok ? '' : (result.diagnostics[0]?.message ?? '');
  expect(message).not.toMatch(ZOD_WORDING);
  expect(message).toMatch(/^pipec\.lock is not a valid pipec lockfile: subjects\.orders-value\.[a-z]+: /);
});

test('`local:`: the path, what was found, the allowed lines and the quoting hint', () => {
  let caught: unknown;
  try {
    parseLocalStackConfig({ flink: 1.2 });
  } catch (e) {
    caught = e;
  }
  expect(isLocalStackError(caught)).toBe(true);
  const error = caught as Error & { hint: string };
  expect(error.message).toBe(`invalid local.flink: expected one of ${allowedLines}, found the number 1.2`);
  expect(error.hint).toBe("`1.20` was read as the number 1.2; write `'1.20'` in quotes");
});
