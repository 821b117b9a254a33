import { expect, test } from 'vitest';
import { plaintextSecretsRule } from '../../../../compiler/check/rules/plaintext-secrets.ts';
import { checkPipeline, findings, runRule } from '../../../helpers/check.ts';

const kafkaSink = (options: string) => `stream s as select payment_id, amount from payments;\nsink s into kafka topic 'o' format avro with (${options});`;

test('a keystore password in a Kafka sink\'s properties: error at the value', () => {
  const result = checkPipeline(kafkaSink("'properties.ssl.keystore.password' = 'changeit'"));
  expect(findings(result)).toEqual([{ code: 'plaintext-secret', line: 2, column: 84 }]);
  expect(result.diagnostics[0]?.message).toBe('`properties.ssl.keystore.password` holds a credential as plaintext; it would be written into the generated job or connector');
});

test('a JAAS config with password= in a Kafka source, whatever its key', () => {
  const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required username=\\"u\\" password=\\"p\\";';
  expect(runRule(plaintextSecretsRule, `source extra from kafka topic 'logins' format avro with ('properties.sasl.jaas.config' = '${jaas}');\nstream s as select customer_id from extra;\nsink s into kafka topic 'o' format avro;`)).toMatchInlineSnapshot(`
    [
      {
        "at": "'org.apache.kafka.common.security.scram.ScramLoginModule required username=\\"u\\" password=\\"p\\";'",
        "code": "plaintext-secret",
        "message": "\`properties.sasl.jaas.config\` holds a password (\`password=…\`) as plaintext; it would be written into the generated job or connector",
      },
    ]
  `);
  const result = checkPipeline(kafkaSink(`'properties.login.config' = 'x password=hunter2'`));
  expect(result.diagnostics.map((d) => d.message)).toEqual(['`properties.login.config` holds a password (`password=…`) as plaintext; it would be written into the generated job or connector']);
});

test('Connect sinks: passphrase, private key, bearer header, URL userinfo', () => {
  const sink = (options: string) => `stream s as select payment_id, amount from payments;\nsink s into elasticsearch index 'i' via connection search with (${options});`;
  expect(runRule(plaintextSecretsRule, sink("'passphrase' = 'p', 'private.key' = 'k', 'auth.header' = 'Bearer abc', 'connection.url' = 'https://u:pw@es:9200'"))).toMatchInlineSnapshot(`
    [
      {
        "at": "'p'",
        "code": "plaintext-secret",
        "message": "\`passphrase\` holds a credential as plaintext; it would be written into the generated job or connector",
      },
      {
        "at": "'k'",
        "code": "plaintext-secret",
        "message": "\`private.key\` holds a credential as plaintext; it would be written into the generated job or connector",
      },
      {
        "at": "'Bearer abc'",
        "code": "plaintext-secret",
        "message": "\`auth.header\` holds an authorization token (\`Bearer …\`, \`Basic …\`) as plaintext; it would be written into the generated job or connector",
      },
      {
        "at": "'https://u:pw@es:9200'",
        "code": "plaintext-secret",
        "message": "\`connection.url\` holds a password in a URL (\`user:password@host\`) as plaintext; it would be written into the generated job or connector",
      },
    ]
  `);
  const result = checkPipeline(sink("'connection.url' = 'https://u:pw@es:9200'"));
  expect(findings(result)).toEqual([{ code: 'plaintext-secret', line: 2, column: 84 }]);
  expect(result.diagnostics[0]?.message).toMatch(/^`connection.url` holds a password in a URL \(`user:password@host`\) as plaintext/);
});

test('secret(), references, booleans and ordinary properties are fine', () => {
  expect(runRule(plaintextSecretsRule, kafkaSink("'properties.ssl.keystore.password' = secret('keystore'), 'properties.linger.ms' = '5', 'properties.ssl.keystore.location' = '/etc/ks.p12', 'properties.enable.token' = true"))).toEqual([]);
});
