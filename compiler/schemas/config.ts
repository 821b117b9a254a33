/**
 * The `registry:` section of pipec.yaml, and its resolution at the edge (environment, CA file).
 *
 *   registry:
 *     url: http://localhost:18085/apis/ccompat/v7   # absent: offline, schemas come from `folder`
 *     kind: apicurio            # or confluent: which Avro converter the generated connectors use
 *     auth: { type: basic, username: ci, password: "${env:SR_PASSWORD}" }   # or { type: bearer, token: … }
 *     ca_file: certs/registry-ca.pem
 *     timeout_ms: 10000
 *     retries: 3
 *     concurrency: 8
 *     folder: schemas           # the local schema folder (default: the project's `schemas:` setting)
 *     lockfile: pipec.lock
 *     cache_dir: .pipec/cache/schemas
 *
 * Unlike connection credentials (which pipec passes through to deploy time), registry credentials are
 * needed while compiling, so `${env:NAME}` references are resolved here, and only here. Resolved values are
 * wrapped in `Secret`, which prints as `***` in logs, JSON and `util.inspect`; diagnostics name the
 * variable, never the value.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { inspect } from 'node:util';
import { z } from 'zod';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { COMPATIBILITY_LEVELS } from './catalog.ts';

export const REGISTRY_KINDS = ['apicurio', 'confluent'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

const hasEnvRef = (value: string): boolean => new RegExp(ENV_REF.source).test(value);
const isHttpUrl = (value: string): boolean => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);

const basicAuth = z.object({ type: z.literal('basic'), username: z.string().min(1), password: z.string().min(1) }).strict();
const bearerAuth = z.object({ type: z.literal('bearer'), token: z.string().min(1) }).strict();

export const registryConfigSchema = z
  .object({
    /**
     * The Confluent-compatible API root, e.g. `http://localhost:18085/apis/ccompat/v7` for Apicurio. May be built
     * from `${env:NAME}` references, resolved (and then checked to be a URL) when pipec starts.
     */
    url: z.string().refine((v) => hasEnvRef(v) || isHttpUrl(v), 'Invalid URL').optional(),
    /**
     * The registry the deployed connectors talk to: Confluent Schema Registry (Confluent's Avro converter) or
     * Apicurio Registry (Apicurio's converter in Confluent wire format). Flink speaks the Confluent API to both.
     */
    kind: z.enum(REGISTRY_KINDS).default('apicurio'),
    auth: z.discriminatedUnion('type', [basicAuth, bearerAuth]).optional(),
    /** PEM file with the CA that signed the registry's certificate, relative to pipec.yaml. */
    ca_file: z.string().min(1).optional(),
    timeout_ms: z.number().int().min(1).max(600_000).default(10_000),
    /** Attempts after the first, on network errors and HTTP 5xx only. */
    retries: z.number().int().min(0).max(10).default(3),
    /** Requests in flight at once. */
    concurrency: z.number().int().min(1).max(64).default(8),
    folder: z.string().min(1).optional(),
    lockfile: z.string().min(1).default('pipec.lock'),
    cache_dir: z.string().min(1).default('.pipec/cache/schemas'),
    /** Used when the registry does not say (Confluent's default). */
    default_compatibility: z.enum(COMPATIBILITY_LEVELS).default('BACKWARD'),
  })
  .strict();

export type RegistryConfig = z.infer<typeof registryConfigSchema>;
export type RegistryConfigInput = z.input<typeof registryConfigSchema>;

/** A credential: `reveal()` gives the value; every other way of printing it gives `***`. */
export interface Secret {
  reveal(): string;
}

export function secret(value: string): Secret {
  const hidden = {
    reveal: () => value,
    toString: () => '***',
    toJSON: () => '***',
    [inspect.custom]: () => '***',
  };
  return Object.freeze(hidden);
}

export type ResolvedAuth = { readonly type: 'basic'; readonly username: Secret; readonly password: Secret } | { readonly type: 'bearer'; readonly token: Secret };

export interface ResolvedRegistryConfig {
  readonly url: string | undefined;
  readonly auth: ResolvedAuth | undefined;
  /** PEM text of the CA file. */
  readonly ca: string | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly concurrency: number;
  /** Absolute paths. */
  readonly folder: string;
  readonly lockfile: string;
  readonly cacheDir: string;
  readonly defaultCompatibility: RegistryConfig['default_compatibility'];
}

export interface ResolveConfigOptions {
  /** The folder of pipec.yaml; relative paths are relative to it. */
  readonly root: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The project's `schemas:` setting, used when `registry.folder` is absent. */
  readonly defaultFolder?: string | undefined;
  readonly readText?: ((file: string) => Promise<string>) | undefined;
}

export type ResolveConfigResult = { readonly ok: true; readonly config: ResolvedRegistryConfig } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Edge: reads the environment and the CA file. */
export async function resolveRegistryConfig(config: RegistryConfig, options: ResolveConfigOptions): Promise<ResolveConfigResult> {
  const diagnostics: Diagnostic[] = [];
  const expand = (value: string, setting: string): string => expandEnv(value, setting, options.env, diagnostics);
  const url = config.url === undefined ? undefined : expand(config.url, 'registry.url');
  if (url !== undefined && config.url !== undefined && hasEnvRef(config.url) && diagnostics.length === 0 && !isHttpUrl(url)) {
    diagnostics.push(diagnostic('registry-url-invalid', { setting: 'registry.url' }, undefined));
  }
  let auth: ResolvedAuth | undefined;
  if (config.auth?.type === 'basic') {
    auth = { type: 'basic', username: secret(expand(config.auth.username, 'registry.auth.username')), password: secret(expand(config.auth.password, 'registry.auth.password')) };
  } else if (config.auth?.type === 'bearer') {
    auth = { type: 'bearer', token: secret(expand(config.auth.token, 'registry.auth.token')) };
  }
  let ca: string | undefined;
  if (config.ca_file !== undefined) {
    const file = path.resolve(options.root, config.ca_file);
    try {
      ca = await (options.readText ?? ((f: string) => readFile(f, 'utf8')))(file);
    } catch (e) {
      diagnostics.push(diagnostic('registry-ca-unreadable', { path: config.ca_file, reason: e instanceof Error ? e.message : String(e) }, undefined));
    }
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return {
    ok: true,
    config: {
      url: url?.replace(/\/+$/, ''),
      auth,
      ca,
      timeoutMs: config.timeout_ms,
      retries: config.retries,
      concurrency: config.concurrency,
      folder: path.resolve(options.root, config.folder ?? options.defaultFolder ?? 'schemas'),
      lockfile: path.resolve(options.root, config.lockfile),
      cacheDir: path.resolve(options.root, config.cache_dir),
      defaultCompatibility: config.default_compatibility,
    },
  };
}

function expandEnv(value: string, setting: string, env: Readonly<Record<string, string | undefined>>, diagnostics: Diagnostic[]): string {
  return value.replace(ENV_REF, (_match, name: string) => {
    const found = env[name];
    if (found === undefined || found === '') {
      diagnostics.push(diagnostic('registry-secret-missing', { name, setting }, undefined));
      return '';
    }
    return found;
  });
}

/** A URL safe to print: user info (credentials in the URL) is removed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}
