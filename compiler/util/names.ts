/**
 * Names pipec gives to things in shared systems (connectors, topics, replication slots) carry the project and
 * environment, so two projects or environments on one cluster never take each other's. A name longer than the
 * system allows is shortened deterministically: its start, `_`/`-`, and 8 hex of its sha256, so the same input
 * always gives the same name and two long names that differ only at the end stay apart.
 */
import { createHash } from 'node:crypto';

const HASH_LENGTH = 8;

/** Kafka's limit on topic names. */
export const MAX_TOPIC_NAME = 249;
/** PostgreSQL's identifiers (replication slots, publications): NAMEDATALEN - 1. */
export const MAX_PG_IDENTIFIER = 63;

/** `name` as it is when it fits in `max`, else its first characters, `separator` and a hash of the whole name. */
export function boundedName(name: string, max: number, separator = '-'): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  return `${name.slice(0, max - HASH_LENGTH - separator.length)}${separator}${hash}`;
}
