/**
 * Names of Confluent Cloud Flink statements. A statement's SQL and properties cannot change, so a changed job
 * is a new statement, and its name must say which content it runs: readable parts (project, environment,
 * pipeline) and a hash of what is sent. The same build always gives the same names, so an unchanged job keeps
 * its statement and a second `pulumi up` does nothing.
 */
import { createHash } from 'node:crypto';
import { stableStringify } from '../../compiler/schemas/fingerprint.ts';

/** The Statements API's rule: lower-case letters, digits and hyphens, starting and ending with a letter or digit. */
export const STATEMENT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_STATEMENT_NAME = 100;
const HASH_LENGTH = 12;

/** `Lendwell.Payments_Enriched` → `lendwell-payments-enriched`. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** `<parts as slugs>-<12 hex of sha256 over the content>`, at most 100 characters (the parts are shortened). */
export function statementName(parts: readonly string[], content: unknown): string {
  const hash = createHash('sha256').update(stableStringify(content)).digest('hex').slice(0, HASH_LENGTH);
  const prefix = parts.map(slug).filter((p) => p !== '').join('-').slice(0, MAX_STATEMENT_NAME - HASH_LENGTH - 1).replace(/-+$/, '');
  return prefix === '' ? hash : `${prefix}-${hash}`;
}
