/** Statement names and connector references of the Confluent Cloud flavour. */
import { describe, expect, test } from 'vitest';
import { MAX_STATEMENT_NAME, STATEMENT_NAME, slug, statementName } from '../../../deploy/confluent-cloud/statement-name.ts';
import { fillReferences, referencesIn } from '../../../deploy/confluent-cloud/values.ts';

describe('statementName', () => {
  test('slugs of the parts, then 12 hex of the content hash', () => {
    expect(slug('Lendwell.Payments__Enriched-')).toBe('lendwell-payments-enriched');
    const name = statementName(['lendwell', 'prod', 'payments_enriched'], { statement: 'INSERT …' });
    expect(name).toMatch(/^lendwell-prod-payments-enriched-[0-9a-f]{12}$/);
    expect(name).toMatch(STATEMENT_NAME);
  });

  test('the same content gives the same name, other content another (key order does not matter)', () => {
    const a = statementName(['p', 'e', 'x'], { statement: 's', properties: { a: '1', b: '2' } });
    expect(statementName(['p', 'e', 'x'], { properties: { b: '2', a: '1' }, statement: 's' })).toBe(a);
    expect(statementName(['p', 'e', 'x'], { statement: 's2', properties: { a: '1', b: '2' } })).not.toBe(a);
  });

  test('long or odd parts are cut to 100 characters and still end in the hash', () => {
    const name = statementName(['x'.repeat(80), 'y'.repeat(80)], 'c');
    expect(name.length).toBeLessThanOrEqual(MAX_STATEMENT_NAME);
    expect(name).toMatch(STATEMENT_NAME);
    expect(name).toMatch(/-[0-9a-f]{12}$/);
    expect(statementName(['___', '...'], 'c')).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('connector references', () => {
  test('config-provider references and pipec placeholders, by the names values are given under', () => {
    expect(referencesIn('{"a":"${env:DB_PASSWORD}","b":"x ${pipec:secret.token} ${file:/s.properties:k}"}')).toEqual(['env:DB_PASSWORD', 'file:/s.properties:k', 'secret.token']);
    expect(fillReferences('${env:A}/${pipec:b.c}/${env:MISSING}', { 'env:A': '1', 'b.c': '2' })).toBe('1/2/${env:MISSING}');
  });
});
