/**
 * The names other systems take, as data and predicates: each returns why a system would refuse a name (or
 * mishandle it), or undefined. pipec checks every external name with these at the span that produced it
 * (compiler/check/rules/external-names.ts), instead of the system refusing it at deploy time.
 */

/** Kafka's topic rule (`org.apache.kafka.common.internals.Topic.validate`). */
export const KAFKA_TOPIC_MAX_LENGTH = 249;
const KAFKA_TOPIC_CHAR = /[^a-zA-Z0-9._-]/u;

/** PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes; MySQL refuses names over 64 characters. */
export const POSTGRES_IDENTIFIER_MAX_BYTES = 63;
export const MYSQL_IDENTIFIER_MAX_LENGTH = 64;

/** Kafka protocol strings (group ids, transactional ids) are at most 32767 bytes of UTF-8. */
export const KAFKA_PROTOCOL_STRING_MAX_BYTES = 32_767;

/**
 * Control characters, the line and paragraph separators, and lone surrogates (no system reads them back intact;
 * a back-quoted Flink SQL identifier cannot hold one: Calcite's lexer rejects line breaks).
 */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
/** The first character of `name` matching `pattern`, for a message. */
const first = (name: string, pattern: RegExp): string | undefined => pattern.exec(name)?.[0];
const shown = (c: string): string => {
  if (c === ' ') return 'a space';
  return CONTROL.test(c) ? `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}` : `\`${c}\``;
};

export function kafkaTopicProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name === '.' || name === '..') return 'Kafka reserves `.` and `..`';
  if (name.length > KAFKA_TOPIC_MAX_LENGTH) return `it is ${name.length} characters long, more than Kafka's ${KAFKA_TOPIC_MAX_LENGTH}`;
  const bad = first(name, KAFKA_TOPIC_CHAR);
  if (bad !== undefined) return `it contains ${shown(bad)}; a topic name takes only ASCII letters, digits, \`.\`, \`_\` and \`-\``;
  return undefined;
}

/** Kafka maps `.` to `_` in metric names: `a.b` and `a_b` collide there, and Kafka warns when a topic mixes them. */
export function mixesPeriodAndUnderscore(topic: string): boolean {
  return topic.includes('.') && topic.includes('_');
}

/**
 * Registry subjects: Confluent Schema Registry refuses control characters; pipec names subjects in URL paths
 * (`/subjects/<subject>/versions`), where an encoded `/` is refused or decoded by servers and proxies.
 */
export function subjectProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  const bad = first(name, CONTROL) ?? first(name, /\//u);
  if (bad !== undefined) return `it contains ${shown(bad)}, which a subject name cannot hold (control characters and \`/\`)`;
  return undefined;
}

/**
 * Kafka Connect connector names: not empty, no ISO control characters (`ConnectorConfig`'s `name` validator),
 * no white space at either end (the REST API trims it), no `/` (the name is a path segment of the REST API).
 */
export function connectorNameProblem(name: string): string | undefined {
  if (name.trim().length === 0) return 'it is empty';
  if (name.trim() !== name) return 'it starts or ends with white space, which Kafka Connect trims';
  const bad = first(name, CONTROL) ?? first(name, /\//u);
  if (bad !== undefined) return `it contains ${shown(bad)}, which a connector name cannot hold (control characters and \`/\`)`;
  return undefined;
}

/** Consumer group ids and transactional ids: Kafka protocol strings; pipec also keeps control characters out. */
export function kafkaIdProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (bytes(name) > KAFKA_PROTOCOL_STRING_MAX_BYTES) return `it is ${bytes(name)} bytes long, more than Kafka's ${KAFKA_PROTOCOL_STRING_MAX_BYTES}`;
  const bad = first(name, CONTROL);
  if (bad !== undefined) return `it contains ${shown(bad)}`;
  return undefined;
}

/**
 * A database table as `table` or `<schema>.<table>` (MySQL: `<database>.<table>`). Each part is an unquoted SQL
 * identifier — an ASCII letter or `_`, then letters, digits, `_` and `$` — as Debezium's table lists (regular
 * expressions) and the JDBC sink's table name take it, within the database's identifier length.
 */
export function sqlTableProblem(name: string, system: 'postgres' | 'mysql'): string | undefined {
  const parts = name.split('.');
  if (parts.length > 2) return `it has ${parts.length} parts; write \`table\` or \`schema.table\``;
  for (const part of parts) {
    if (part.length === 0) return 'a part of it is empty';
    const bad = first(part, /[^A-Za-z0-9_$]/u) ?? (/^[0-9$]/u.test(part) ? part.charAt(0) : undefined);
    if (bad !== undefined) return `it contains ${shown(bad)}${/^[0-9$]$/u.test(bad) ? ' at the start of a part' : ''}; each part takes ASCII letters, digits, \`_\` and \`$\`, starting with a letter or \`_\``;
    if (system === 'postgres' && bytes(part) > POSTGRES_IDENTIFIER_MAX_BYTES) return `\`${part}\` is ${bytes(part)} bytes long; PostgreSQL cuts identifiers to ${POSTGRES_IDENTIFIER_MAX_BYTES}`;
    if (system === 'mysql' && part.length > MYSQL_IDENTIFIER_MAX_LENGTH) return `\`${part}\` is ${part.length} characters long, more than MySQL's ${MYSQL_IDENTIFIER_MAX_LENGTH}`;
  }
  return undefined;
}
