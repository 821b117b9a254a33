/**
 * Placeholders in generated artifacts: endpoints and secrets are never inlined. The deployer replaces each
 * `${pipec:NAME}` with its value for the environment it deploys to (docs/artifacts.md lists every name).
 * Only pipec writes them: a `.pipe` file's strings and names may not contain one (`placeholder-in-text`), or a
 * deploy would fill a secret into the job's data.
 */
export const placeholder = (name: string): string => `\${pipec:${name}}`;

export const KAFKA_BOOTSTRAP_SERVERS = placeholder('kafka.bootstrap_servers');
export const REGISTRY_URL = placeholder('registry.url');
export const REGISTRY_USER_INFO = placeholder('registry.user_info');
/** Where the deployer asks the SQL Gateway to write a job's compiled plan. */
export const PLAN_PATH = placeholder('flink.plan_path');

/** A Kafka client property from pipec.yaml's `kafka.properties` (SASL, TLS…). */
export const kafkaProperty = (key: string): string => placeholder(`kafka.properties.${key}`);

/** What a `secret('name')` may be called: the placeholder and the worker's variable (`PIPEC_SECRET_<NAME>`) map it one to one. */
export const SECRET_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** The environment variable that holds `secret('name')` where pipec reads secrets from the environment. */
export const secretVariable = (name: string): string => `PIPEC_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** A `secret('name')` of a `.pipe` file. */
export const secretPlaceholder = (name: string): string => placeholder(`secret.${name}`);

const PATTERN = /\$\{pipec:([A-Za-z0-9_.\-]+)\}/g;

const OPENS_PLACEHOLDER = /\$\{\s*pipec\s*:/i;

/** Whether user text holds what a placeholder starts with (in any case or spacing, to stay clear of the filler). */
export function opensPlaceholder(text: string): boolean {
  // Every name and string of a file is tested: the plain search rules out nearly all of them for less than the regex.
  return text.includes('${') && OPENS_PLACEHOLDER.test(text);
}

/** Every placeholder name a text uses, sorted (the manifest lists them, so a deploy knows what to supply). */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PATTERN)].map((m) => m[1] ?? ''))].sort();
}

/**
 * Where placeholders sit, so a value is escaped for it: pipec writes them only inside Flink SQL string literals
 * (job.sql, compile-plan.sql) and JSON strings (connector configs), or as a value on its own.
 */
export type PlaceholderContext = 'sql-string' | 'json-string' | 'value';

const ESCAPE: Readonly<Record<PlaceholderContext, (value: string) => string>> = {
  // A quote inside a SQL string literal is doubled.
  'sql-string': (value) => value.replaceAll("'", "''"),
  'json-string': (value) => JSON.stringify(value).slice(1, -1),
  value: (value) => value,
};

/**
 * Replaces placeholders with values, escaped for where they sit (a password with a quote stays one string);
 * unknown names are left as they are (the caller reports them).
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>, context: PlaceholderContext): string {
  const escape = ESCAPE[context];
  return text.replace(PATTERN, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : escape(value);
  });
}
