/**
 * What counts as a credential, in one place: the keys that name one (`password`, `ssl.keystore.password`,
 * `sasl.jaas.config`, `basic.auth.user.info`, `auth.header`…) and the values that carry one whatever their key
 * (a URL with `user:password@`, `Bearer …`, `password=…`). A credential is only ever a reference: a Connect
 * config provider's (`${env:NAME}`, `${file:path:key}`, `${dir:path:file}`), a `secret('name')` in a `.pipe`
 * file, or a `${pipec:…}` placeholder pipec writes. docs/config.md lists the words.
 */
import type { CredentialInValue, PlaintextCredential } from '../compiler/diagnostics/messages.ts';

export type { CredentialInValue, PlaintextCredential };

/** Words of a key that name a credential (keys are split at `.`, `_`, `-` and camelCase humps). */
export const CREDENTIAL_WORDS: readonly string[] = [
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'credential', 'credentials', 'jaas',
  'apikey', 'privatekey', 'userinfo', 'authorization', 'authheader',
];

/** Consecutive words that name a credential together. */
export const CREDENTIAL_PHRASES: readonly (readonly [string, string])[] = [
  ['private', 'key'], ['api', 'key'], ['user', 'info'], ['auth', 'header'], ['keystore', 'key'], ['access', 'key'], ['secret', 'key'],
];

/**
 * Last words of keys that configure a credential without holding it (`sasl.oauthbearer.token.endpoint.url`,
 * `basic.auth.credentials.source`, `ssl.keystore.location`, `…token.expiry.ms`).
 */
export const NOT_A_CREDENTIAL_SUFFIXES: readonly string[] = [
  'url', 'uri', 'endpoint', 'class', 'type', 'location', 'file', 'path', 'algorithm', 'mechanism', 'source',
  'provider', 'ms', 'seconds', 'enable', 'enabled', 'id',
];

function words(key: string): string[] {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}

/** Whether a property key names a credential. */
export function isCredentialKey(key: string): boolean {
  const w = words(key);
  const last = w[w.length - 1];
  if (last === undefined || NOT_A_CREDENTIAL_SUFFIXES.includes(last)) return false;
  if (w.some((x) => CREDENTIAL_WORDS.includes(x))) return true;
  return w.some((x, i) => CREDENTIAL_PHRASES.some(([a, b]) => x === a && w[i + 1] === b));
}

/** A whole value that is a reference, resolved by a Connect worker or the deployer, never a value. */
const REFERENCE = /^\$\{(file|env|dir|pipec):[^}]+\}$/;

export function isReference(value: string): boolean {
  return REFERENCE.test(value);
}

/** `scheme://user:password@host`: the password part, when it is not itself a reference. */
const URL_USERINFO = /[a-z][a-z0-9+.-]*:\/\/[^/\s@:]*:([^/\s@]+)@/gi;
/** `Bearer …`, `Basic …`: an Authorization header's value, alone or after `Authorization:`. */
const AUTH_SCHEME = /(?:^|:)\s*(bearer|basic)\s+(\S+)/i;
/** `password=…`, `secret="…"` inside a value: a JAAS config, a JDBC URL's query. */
const ASSIGNED = /\b(password|passwd|pwd|passphrase|secret|clientsecret|token)\s*=\s*"?([^"\s;&,]+)/gi;

/** A credential written inside a value, whatever its key. */
export function credentialInValue(value: string): CredentialInValue | undefined {
  const literal = (part: string | undefined): boolean => part !== undefined && !isReference(part);
  if ([...value.matchAll(URL_USERINFO)].some((m) => literal(m[1]))) return 'url-userinfo';
  if (literal(AUTH_SCHEME.exec(value)?.[2])) return 'auth-scheme';
  if ([...value.matchAll(ASSIGNED)].some((m) => literal(m[2]))) return 'assignment';
  return undefined;
}

/** A reference inside a longer value (`… password="${env:KAFKA_PASSWORD}";`), which Connect workers resolve too. */
const EMBEDDED_REFERENCE = /\$\{(file|env|dir|pipec):[^}]+\}/;

/**
 * Why a property holds a credential as plaintext, or undefined. A credential key takes only a reference, whole
 * or inside a value that carries no other credential (a JAAS config whose password is `${env:…}`); or nothing, or
 * a boolean such as `…password.enabled = true` written under an unexpected name.
 */
export function plaintextCredential(key: string, value: string): PlaintextCredential | undefined {
  if (isReference(value)) return undefined;
  const inValue = credentialInValue(value);
  if (inValue) return inValue;
  if (!isCredentialKey(key) || value === '' || /^(true|false)$/i.test(value) || EMBEDDED_REFERENCE.test(value)) return undefined;
  return 'credential-key';
}
