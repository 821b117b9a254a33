/**
 * What `pipec local deploy` applied to the local stack: the outputs of each deployer call by manifest item id,
 * and the build they came from (produce and tail read its plans). It lives in the stack's data folder, so
 * `pipec local down` deletes it with the topics, subjects and jobs it describes. Edge (a file).
 *
 * No secret's value is written: in the outputs the Pulumi deployer keeps secret (deploy/secret-outputs.ts), each
 * value that may be one is stored as its HMAC under a random key of the file. A second deploy digests the new
 * inputs the same way, so an unchanged item is still recognised and a changed secret still counts as a change;
 * equal secrets of two stacks do not look equal. Only its owner may read the file.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { ConnectorOutputs } from '../../../deploy/impl/connector.ts';
import type { JobOutputs } from '../../../deploy/impl/job.ts';
import type { SubjectOutputs } from '../../../deploy/impl/subject.ts';
import type { TopicOutputs } from '../../../deploy/impl/topic.ts';
import type { SecretOutput } from '../../../deploy/secret-outputs.ts';
import { plaintextCredential } from '../../../stdlib/credentials.ts';

export type Applied =
  | { readonly kind: 'topic'; readonly outputs: TopicOutputs }
  | { readonly kind: 'subject'; readonly outputs: SubjectOutputs }
  | { readonly kind: 'connector'; readonly outputs: ConnectorOutputs }
  | { readonly kind: 'job'; readonly outputs: JobOutputs };

export type AppliedKind = Applied['kind'];

export interface DeployState {
  readonly version: 2;
  /** The build folder last deployed (absolute). */
  readonly buildDir: string;
  /** The HMAC key of this file's digests (hex), drawn when the file is first written. */
  readonly salt: string;
  /** The outputs with their secrets digested (`storedOutputs`). */
  readonly items: Readonly<Record<string, Applied>>;
}

/**
 * How each secret output is stored. `digest`: every string in it (all of it was filled in by the deploy).
 * `digest-credentials`: each value that is a credential by stdlib/credentials.ts (what `connect-plaintext-secret`
 * checks), the rest as it is — a connector's class and slot name are what deleting it reads. `as-built`: the
 * build's own text, which holds `${pipec:…}` placeholders and never their values (the deployer fills a copy when
 * it sends the statements), and a rollback sends again.
 */
type Storage = 'digest' | 'digest-credentials' | 'as-built';

const STORAGE: { readonly [K in AppliedKind]: Readonly<Record<SecretOutput<K>, Storage>> } = {
  topic: { sasl: 'digest' },
  subject: { registryUrl: 'digest-credentials' },
  connector: { config: 'digest-credentials' },
  job: { placeholders: 'digest', statements: 'as-built' },
};

const DIGEST_PREFIX = 'hmac-sha256:';

export function newSalt(): string {
  return randomBytes(32).toString('hex');
}

function digest(value: string, salt: string): string {
  return `${DIGEST_PREFIX}${createHmac('sha256', Buffer.from(salt, 'hex')).update(value, 'utf8').digest('hex')}`;
}

function digestAll(value: unknown, salt: string): unknown {
  if (typeof value === 'string') return digest(value, salt);
  if (Array.isArray(value)) return value.map((v) => digestAll(v, salt));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, digestAll(v, salt)]));
  return value;
}

function digestCredentials(key: string, value: unknown, salt: string): unknown {
  if (typeof value === 'string') return plaintextCredential(key, value) ? digest(value, salt) : value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, digestCredentials(k, v, salt)]));
  return value;
}

/**
 * A deployer record (outputs, or the inputs of the next call, which have the same keys) as the state file keeps
 * it: comparing a stored record with `storedForm(kind, inputs, salt)` is comparing the values.
 */
export function storedForm<T extends object>(kind: AppliedKind, record: T, salt: string): T {
  const out: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  for (const [key, how] of Object.entries<Storage>(STORAGE[kind])) {
    if (out[key] === undefined) continue;
    if (how === 'digest') out[key] = digestAll(out[key], salt);
    else if (how === 'digest-credentials') out[key] = digestCredentials(key, out[key], salt);
  }
  return out as T;
}

export function storedApplied(applied: Applied, salt: string): Applied {
  return { kind: applied.kind, outputs: storedForm(applied.kind, applied.outputs, salt) } as Applied;
}

/**
 * The outputs an update starts from: the stored ones, with each wholly digested output taken from the new
 * inputs (the values are not kept). A job rolled back after a failed upgrade restarts with today's values.
 */
export function updateBase<T extends object>(kind: AppliedKind, stored: T, inputs: object): T {
  const out: Record<string, unknown> = { ...(stored as Record<string, unknown>) };
  for (const [key, how] of Object.entries<Storage>(STORAGE[kind])) {
    if (how === 'digest') out[key] = (inputs as Record<string, unknown>)[key];
  }
  return out as T;
}

// The outputs are the deployer's own records, written by this module: their shape is checked by kind only.
const itemsSchema = z.record(z.string(), z.object({ kind: z.enum(['topic', 'subject', 'connector', 'job']), outputs: z.record(z.string(), z.unknown()) }));
const stateSchema = z.discriminatedUnion('version', [
  z.object({ version: z.literal(2), buildDir: z.string(), salt: z.string().regex(/^[0-9a-f]{64}$/), items: itemsSchema }),
  // Written by earlier releases, with the values in plaintext: read once, then written as version 2.
  z.object({ version: z.literal(1), buildDir: z.string(), items: itemsSchema }),
]);

export function deployStateFile(stackDir: string): string {
  return join(stackDir, 'data', 'deploy.json');
}

export function readDeployState(file: string): DeployState | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = stateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) return undefined;
  const state = parsed.data;
  if (state.version === 2) return state as unknown as DeployState;
  const salt = newSalt();
  const items = Object.fromEntries(Object.entries(state.items as unknown as Record<string, Applied>).map(([id, a]) => [id, storedApplied(a, salt)]));
  return { version: 2, buildDir: state.buildDir, salt, items };
}

export function writeDeployState(file: string, state: DeployState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  // The mode above applies only to a file it creates; one left by an interrupted write keeps its own.
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
