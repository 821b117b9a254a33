/** pipec.yaml holds credentials only as references: every connection setting and Kafka property, every environment. */
import { expect, test } from 'vitest';
import { parseConfig } from '../../../compiler/config/load.ts';
import { lineColumnOf } from '../../../compiler/source/source.ts';

function plaintext(yaml: string): { path: string; message: string; line: number; column: number }[] {
  const source = { path: 'pipec.yaml', text: `project: demo\n${yaml}` };
  const result = parseConfig(source, undefined);
  return result.diagnostics.map((d) => {
    const at = d.span ? lineColumnOf(source, d.span.start) : { line: 0, column: 0 };
    return { path: d.code, message: d.message, line: at.line, column: at.column };
  });
}

test('an Elasticsearch URL with user:password@ is reported at the value', () => {
  expect(plaintext('connections:\n  search:\n    type: elasticsearch\n    url: https://elastic:changeme@es:9200\n')).toEqual([
    { path: 'config-plaintext-secret', message: '`connections.search.url` holds a password in a URL (`user:password@host`) as plaintext', line: 5, column: 10 },
  ]);
});

test('connection passwords and secret keys, generic connector properties, Kafka properties, in environments too', () => {
  const yaml = [
    'connections:',
    '  dw: { type: postgres, host: db, database: dw, user: u, password: hunter2 }',
    '  lake: { type: s3, bucket: b, region: r, access_key_id: AKIA, secret_access_key: abc }',
    "  audit: { type: connector, properties: { 'auth.header': 'Bearer abc', 'ssl.key.passphrase': p } }",
    'kafka:',
    '  bootstrap_servers: k:9092',
    '  properties:',
    '    sasl.jaas.config: x required username="u" password="p";',
    'environments:',
    '  prod:',
    '    kafka:',
    '      bootstrap_servers: k:9093',
    '      properties: { basic.auth.user.info: "u:p", ssl.truststore.password: changeit }',
  ].join('\n');
  expect(plaintext(yaml).map((d) => d.message.split(' holds')[0])).toEqual([
    '`connections.dw.password`',
    '`connections.lake.secret_access_key`',
    '`connections.audit.properties.auth.header`',
    '`connections.audit.properties.ssl.key.passphrase`',
    '`kafka.properties.sasl.jaas.config`',
    '`environments.prod.kafka.properties.basic.auth.user.info`',
    '`environments.prod.kafka.properties.ssl.truststore.password`',
  ]);
});

test('references pass', () => {
  const yaml = 'connections:\n  dw: { type: postgres, host: db, database: dw, user: u, password: "${env:DW_PASSWORD}" }\n  search: { type: elasticsearch, url: "https://es:9200", password: "${file:/run/es.properties:password}" }\nkafka:\n  bootstrap_servers: k:9092\n  properties: { sasl.jaas.config: "${env:JAAS}", sasl.mechanism: SCRAM-SHA-512 }\n';
  expect(plaintext(yaml)).toEqual([]);
});
