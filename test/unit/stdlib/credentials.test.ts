/** The one list of what is a credential: keys that name one, values that carry one, references that do not. */
import { expect, test } from 'vitest';
import { credentialInValue, isCredentialKey, plaintextCredential } from '../../../stdlib/credentials.ts';

test('keys that name a credential', () => {
  const keys = [
    'password', 'connection.password', 'database.password', 'ssl.keystore.password', 'properties.ssl.truststore.password',
    'ssl.key.password', 'passphrase', 'ssl.key.passphrase', 'private.key', 'private_key', 'privateKey', 'ssl.keystore.key',
    'secret', 'client.secret', 'clientSecret', 'aws.secret.access.key', 'secret_access_key', 'token', 'audit.token', 'some.api.token',
    'api.key', 'apiKey', 'api_key', 'auth.header', 'authorization', 'sasl.jaas.config', 'properties.sasl.jaas.config',
    'basic.auth.user.info', 'schema.registry.basic.auth.user.info', 'userinfo', 'credentials', 'PASSWORD',
  ];
  expect(keys.filter((k) => !isCredentialKey(k))).toEqual([]);
});

test('keys about a credential that hold none', () => {
  const keys = [
    'sasl.oauthbearer.token.endpoint.url', 'basic.auth.credentials.source', 'ssl.keystore.location', 'ssl.keystore.type',
    'ssl.truststore.location', 'sasl.mechanism', 'sasl.login.callback.handler.class', 'aws.access.key.id', 'access_key_id',
    'bootstrap.servers', 'linger.ms', 'user', 'connection.user', 'key.converter', 'token.enabled', 'topics', 'tokenizer',
  ];
  expect(keys.filter((k) => isCredentialKey(k))).toEqual([]);
});

test('values that carry a credential whatever their key', () => {
  expect(credentialInValue('https://elastic:changeme@es.example.com:9200')).toBe('url-userinfo');
  expect(credentialInValue('Bearer eyJhbGciOi')).toBe('auth-scheme');
  expect(credentialInValue('Authorization: Basic dXNlcjpwdw==')).toBe('auth-scheme');
  expect(credentialInValue('org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";')).toBe('assignment');
  expect(credentialInValue('jdbc:postgresql://db:5432/app?user=u&password=p')).toBe('assignment');
  for (const fine of ['https://es.example.com:9200', 'https://user@es.example.com', 'jdbc:postgresql://db:5432/app', 'a basic setup', 'password=${env:PW}', 'https://u:${env:PW}@host', 'Bearer ${file:/s.properties:token}']) {
    expect(credentialInValue(fine)).toBeUndefined();
  }
});

test('a credential key takes a reference, nothing else', () => {
  expect(plaintextCredential('password', 'hunter2')).toBe('credential-key');
  for (const ref of ['${env:PW}', '${file:/etc/pipec/db.properties:password}', '${dir:/run/secrets:pw}', '${pipec:registry.user_info}']) {
    expect(plaintextCredential('password', ref)).toBeUndefined();
  }
  expect(plaintextCredential('password', '')).toBeUndefined();
  // A reference inside the value, and no other credential in it.
  expect(plaintextCredential('sasl.jaas.config', 'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="${env:KAFKA_PASSWORD}";')).toBeUndefined();
  expect(plaintextCredential('basic.auth.user.info', 'u:${env:SR_PASSWORD}')).toBeUndefined();
  expect(plaintextCredential('sasl.jaas.config', 'x required username="${env:U}" password="p";')).toBe('assignment');
  expect(plaintextCredential('auth.header', 'Bearer abc')).toBe('auth-scheme');
  expect(plaintextCredential('auth.header', 'abc')).toBe('credential-key');
  expect(plaintextCredential('headers', 'Authorization: Bearer abc')).toBe('auth-scheme');
  expect(plaintextCredential('connection.url', 'https://u:p@es:9200')).toBe('url-userinfo');
  expect(plaintextCredential('linger.ms', '5')).toBeUndefined();
});
