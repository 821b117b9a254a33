/**
 * What every Kafka Connect connector pipec generates shares: names, converters that match the Flink job's
 * formats, error handling, and secrets as Connect config-provider references (never values).
 */
import { z } from 'zod';
import type { Format } from '../../compiler/semantic/bound.ts';
import type { PlanOptionValue } from '../../compiler/plan/plan.ts';
import { placeholder, REGISTRY_URL, secretVariable } from '../../stdlib/placeholders.ts';
import type { RegistryKind } from '../../compiler/schemas/config.ts';
import { boundedName, MAX_PG_IDENTIFIER } from '../../compiler/util/names.ts';
import { assertNever } from '../../compiler/util/invariant.ts';
import { plaintextCredential } from '../../stdlib/credentials.ts';

/** A connector's config: Connect takes only strings. */
export type ConnectorConfig = Readonly<Record<string, string>>;

/** Apicurio's core API root for the Avro converter (`…/apis/registry/v2`); see docs/artifacts.md. */
export const REGISTRY_APICURIO_URL = placeholder('registry.apicurio_url');

/** Apicurio's Avro converter, the Avro converter on Maven Central (Confluent's is not). */
export const AVRO_CONVERTER = 'io.apicurio.registry.utils.converter.AvroConverter';
/** Confluent's Avro converter (Confluent Platform / Confluent Hub; not on Maven Central). */
export const CONFLUENT_AVRO_CONVERTER = 'io.confluent.connect.avro.AvroConverter';
/** The registry's user info (`user:password`) for Confluent's converter, from the worker's environment. */
export const REGISTRY_USER_INFO_REF = '${env:PIPEC_REGISTRY_USER_INFO}';

/** Which registry the connectors' Avro converters talk to, and whether it wants basic auth. */
export interface RegistryFlavour {
  readonly kind: RegistryKind;
  readonly basicAuth: boolean;
}
export const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
export const BYTES_CONVERTER = 'org.apache.kafka.connect.converters.ByteArrayConverter';

/** `${file:/path:key}`, `${env:NAME}`, `${dir:/path:file}`: resolved by the worker's config providers. */
const PROVIDER_REF = /^\$\{(file|env|dir):[^}]+\}$/;

/** A config value that must not be plaintext: a provider reference. */
export const secretRef = z.string().regex(PROVIDER_REF, 'a Connect config-provider reference (${file:…}, ${env:…} or ${dir:…}), never a value');

/** `secret('name')` of a `.pipe` file: an environment variable of the worker, through EnvVarConfigProvider. */
export function secretEnvRef(name: string): string {
  return `\${env:${secretVariable(name)}}`;
}

export function optionValue(v: PlanOptionValue): string {
  switch (v.kind) {
    case 'text':
      return v.value;
    case 'secret':
      return secretEnvRef(v.name);
    default:
      return assertNever(v, 'plan option value');
  }
}

/** PostgreSQL identifiers for slots and publications: lowercase, `_`, at most 63 characters (longer: hashed). */
export function pgIdentifier(...parts: readonly string[]): string {
  return boundedName(parts.join('_').toLowerCase().replace(/[^a-z0-9_]/g, '_'), MAX_PG_IDENTIFIER, '_');
}

/**
 * The converter of a key or value: Avro in the Confluent wire format (magic byte + 4-byte schema id, the id
 * being the registry's content id, which is what its Confluent-compatible API calls a schema id, and what
 * Flink's `avro-confluent` formats read and write), or JSON with schemas (Flink's `debezium-json` with
 * `schema-include`). `role`: a source's converter registers schemas and writes JSON with its schema (Flink's
 * `debezium-json` reads `schema-include`); a sink's only reads them, and Flink's `json` format writes no schema.
 * Avro goes through Apicurio's converter or Confluent's, by the registry's kind.
 */
export function converter(part: 'key' | 'value', format: Format | undefined, role: 'source' | 'sink', registry: RegistryFlavour): Record<string, string> {
  const register = role === 'source';
  const p = `${part}.converter`;
  switch (format) {
    case 'avro':
      if (registry.kind === 'confluent') return confluentAvroConverter(p, register, registry.basicAuth);
      return {
        [p]: AVRO_CONVERTER,
        [`${p}.apicurio.registry.url`]: REGISTRY_APICURIO_URL,
        [`${p}.apicurio.registry.as-confluent`]: 'true',
        [`${p}.apicurio.registry.id-handler`]: 'io.apicurio.registry.serde.Legacy4ByteIdHandler',
        [`${p}.apicurio.registry.use-id`]: 'contentId',
        [`${p}.apicurio.registry.headers.enabled`]: 'false',
        [`${p}.apicurio.registry.auto-register`]: String(register),
        [`${p}.apicurio.registry.find-latest`]: String(!register),
      };
    case 'json':
      return { [p]: JSON_CONVERTER, [`${p}.schemas.enable`]: String(register) };
    case 'raw':
    case 'protobuf':
    case undefined:
      return { [p]: BYTES_CONVERTER };
    default:
      return assertNever(format, 'format');
  }
}

/**
 * Confluent's converter on the registry's Confluent API (`${pipec:registry.url}`), basic auth through the worker's
 * environment (a config provider, never a value). A source's converter registers the schemas Debezium derives; a
 * sink's reads subjects pipec registered itself, so it never registers one and resolves the latest version.
 */
function confluentAvroConverter(p: string, register: boolean, basicAuth: boolean): Record<string, string> {
  return {
    [p]: CONFLUENT_AVRO_CONVERTER,
    [`${p}.schema.registry.url`]: REGISTRY_URL,
    [`${p}.auto.register.schemas`]: String(register),
    ...(register ? {} : { [`${p}.use.latest.version`]: 'true' }),
    ...(basicAuth ? { [`${p}.basic.auth.credentials.source`]: 'USER_INFO', [`${p}.basic.auth.user.info`]: REGISTRY_USER_INFO_REF } : {}),
  };
}

/**
 * Options of Confluent's Avro converter, as documented by Confluent ("Integrate Schemas from Kafka Connect in
 * Confluent Platform", and the serializer/deserializer configuration): the keys after `<key|value>.converter.`.
 */
const confluentConverterOptions = z
  .object({
    'schema.registry.url': z.string().regex(/^(\$\{pipec:registry\.url\}|https?:\/\/\S+)$/, 'the registry URL or ${pipec:registry.url}'),
    'auto.register.schemas': z.enum(['true', 'false']).optional(),
    'use.latest.version': z.enum(['true', 'false']).optional(),
    'latest.compatibility.strict': z.enum(['true', 'false']).optional(),
    'normalize.schemas': z.enum(['true', 'false']).optional(),
    'max.schemas.per.subject': z.string().regex(/^[1-9]\d*$/).optional(),
    'key.subject.name.strategy': z.string().min(1).optional(),
    'value.subject.name.strategy': z.string().min(1).optional(),
    'basic.auth.credentials.source': z.enum(['URL', 'USER_INFO', 'SASL_INHERIT']).optional(),
    'basic.auth.user.info': secretRef.optional(),
    'bearer.auth.credentials.source': z.enum(['STATIC_TOKEN', 'OAUTHBEARER', 'SASL_OAUTHBEARER_INHERIT']).optional(),
    'bearer.auth.token': secretRef.optional(),
    'connect.meta.data': z.enum(['true', 'false']).optional(),
    'enhanced.avro.schema.support': z.enum(['true', 'false']).optional(),
    'schemas.cache.config': z.string().regex(/^[1-9]\d*$/).optional(),
    'scrub.invalid.names': z.enum(['true', 'false']).optional(),
  })
  .strict()
  .refine((o) => o['basic.auth.credentials.source'] !== 'USER_INFO' || o['basic.auth.user.info'] !== undefined, { message: '`basic.auth.credentials.source=USER_INFO` needs `basic.auth.user.info`' });

/** A config whose key or value converter is Confluent's carries only options Confluent documents for it. */
export const converterConfig = z.record(z.string(), z.string()).superRefine((config, ctx) => {
  for (const part of ['key', 'value'] as const) {
    const p = `${part}.converter`;
    if (config[p] !== CONFLUENT_AVRO_CONVERTER) continue;
    const options = Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith(`${p}.`)).map(([k, v]) => [k.slice(p.length + 1), v]));
    const checked = confluentConverterOptions.safeParse(options);
    for (const issue of checked.success ? [] : checked.error.issues) ctx.addIssue({ code: 'custom', path: [[p, ...issue.path].join('.')], message: issue.message });
  }
});

/** Error handling of sinks: tolerate bad records into a dead-letter topic with context headers, and log them. */
export function sinkErrorHandling(deadLetterTopic: string, replication: number): Record<string, string> {
  return {
    'errors.tolerance': 'all',
    'errors.deadletterqueue.topic.name': deadLetterTopic,
    'errors.deadletterqueue.context.headers.enable': 'true',
    'errors.deadletterqueue.topic.replication.factor': String(replication),
    'errors.log.enable': 'true',
    'errors.log.include.messages': 'false',
  };
}

/** Sources fail fast (a CDC stream with gaps is worse than a stopped one); errors are logged. */
export function sourceErrorHandling(): Record<string, string> {
  return { 'errors.tolerance': 'none', 'errors.log.enable': 'true', 'errors.log.include.messages': 'false' };
}

/** Fields every connector config has. */
export const baseConfigSchema = z.object({
  name: z.string().min(1),
  'connector.class': z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/, 'a fully qualified Java class name'),
  'tasks.max': z.string().regex(/^[1-9]\d*$/),
});

/** Every value a string; credentials (stdlib/credentials.ts) only as provider references or pipec placeholders. */
export const configMap = z.record(z.string(), z.string()).superRefine((config, ctx) => {
  for (const [key, value] of Object.entries(config)) {
    if (plaintextCredential(key, value)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `\`${key}\` holds a plaintext credential; secrets must be config-provider references` });
    }
  }
});

export function sortedConfig(config: Readonly<Record<string, string>>): ConnectorConfig {
  return Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
