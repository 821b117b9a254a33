/**
 * Names in shared systems: connectors carry project and environment (two projects on one Connect cluster never
 * overwrite each other's), and a name longer than its system allows is shortened deterministically with a hash.
 */
import { describe, expect, test } from 'vitest';
import { parseFiles, staticSchemas } from '../../helpers/check.ts';
import { compileProgram } from '../../../compiler/compile.ts';
import { boundedName, MAX_PG_IDENTIFIER, MAX_TOPIC_NAME } from '../../../compiler/util/names.ts';
import { connectConfig, rows } from './kafka-connect/fixtures.ts';

const PIPE = (stream: string): string => `pipeline feed;
source payments from kafka topic 'payments' format avro event time event_time watermark 5 s;
stream ${stream} as select customer_id, count(*) as n from payments group by customer_id;
sink ${stream} into postgres table 'reporting.per_customer' via connection dw upsert key (customer_id);`;

function connectorNames(project: string): string[] {
  const result = compileProgram(parseFiles({ 'feed.pipe': PIPE('per_customer') }), { ...connectConfig, project }, staticSchemas(rows), 'pipec test');
  if (!result.output) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  return result.output.manifest.pipelines.flatMap((p) => p.connectors.map((c) => c.name));
}

describe('names', () => {
  test('the same pipeline in two projects gets two sink connectors, each named <project>-<env>-<pipeline>-<sink>', () => {
    const a = connectorNames('acme');
    const b = connectorNames('globex');
    expect(a).toEqual([expect.stringMatching(/^acme-staging-feed-/)]);
    expect(b).toEqual([expect.stringMatching(/^globex-staging-feed-/)]);
    expect(a[0]?.slice('acme'.length)).toBe(b[0]?.slice('globex'.length));
  });

  test('a name within the limit is kept as it is', () => {
    expect(boundedName('pipec_acme_prod_loans', MAX_PG_IDENTIFIER, '_')).toBe('pipec_acme_prod_loans');
  });

  test('a longer name is shortened to the limit, the same way every time, and two that differ at the end stay apart', () => {
    const long = (end: string): string => `pipec_${'a_very_long_project_name_'.repeat(3)}prod_${end}`;
    const one = boundedName(long('loans_db'), MAX_PG_IDENTIFIER, '_');
    expect(one).toHaveLength(MAX_PG_IDENTIFIER);
    expect(one).toBe(boundedName(long('loans_db'), MAX_PG_IDENTIFIER, '_'));
    expect(one).toMatch(/_[0-9a-f]{8}$/);
    expect(boundedName(long('cards_db'), MAX_PG_IDENTIFIER, '_')).not.toBe(one);
    // Plain truncation would have made both the same.
    expect(long('loans_db').slice(0, MAX_PG_IDENTIFIER)).toBe(long('cards_db').slice(0, MAX_PG_IDENTIFIER));
  });

  test('a sink\'s own topic and its dead-letter topic stay within Kafka\'s topic name limit', () => {
    // acme.feed.<240 characters>: 250 characters, one more than Kafka allows.
    const result = compileProgram(parseFiles({ 'feed.pipe': PIPE(`s${'x'.repeat(239)}`) }), connectConfig, staticSchemas(rows), 'pipec test');
    const config = JSON.parse(result.output?.artifacts.find((a) => a.path.includes('/connect/'))?.contents ?? '{}') as Record<string, string>;
    expect(config['topics']).toHaveLength(MAX_TOPIC_NAME);
    expect(config['topics']).toMatch(/^acme\.feed\.sxxx+-[0-9a-f]{8}$/);
    const dlq = config['errors.deadletterqueue.topic.name'] ?? '';
    expect(dlq).toHaveLength(MAX_TOPIC_NAME);
    expect(dlq).toMatch(/^acme\.feed\.sxxx+-[0-9a-f]{8}$/);
    expect(dlq).not.toBe(config['topics']);
    expect(result.output?.manifest.pipelines[0]?.topics.map((t) => t.name)).toEqual([config['topics']]);
  });
});
