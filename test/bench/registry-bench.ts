/**
 * Registry: requests and time to resolve N subjects against a real registry — cold (no lock, no cache),
 * with pipec.lock but a cold cache, and with pipec.lock and a warm cache. Needs a running registry:
 * the local stack's (`pipec local up`) unless PIPEC_BENCH_REGISTRY names another Confluent-compatible URL.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCachedStore, createHttpRegistry, createLockedSource, createSchemaSource, lockFromCatalog, type SubjectRef } from '../../compiler/schemas/index.ts';

export interface RegistryBenchRow {
  readonly run: string;
  readonly subjects: number;
  readonly requests: number;
  readonly ms: number;
}

const schemaOf = (i: number): string => JSON.stringify({ type: 'record', name: `Bench${i}`, namespace: 'pipec.bench', fields: [{ name: 'id', type: 'string' }, { name: 'amount', type: 'double' }] });

export async function benchRegistry(count = 500, url = process.env['PIPEC_BENCH_REGISTRY'] ?? 'http://127.0.0.1:18085/apis/ccompat/v7'): Promise<RegistryBenchRow[]> {
  const subjects = Array.from({ length: count }, (_, i) => `pipec-bench-${i}-value`);
  const setup = createHttpRegistry({ url });
  for (const [i, subject] of subjects.entries()) {
    const r = await setup.register(subject, { schemaType: 'AVRO', schema: schemaOf(i) });
    if (!r.ok) throw new Error(`cannot register ${subject} at ${url}: is the registry running (pipec local up)?`);
  }
  const refs: SubjectRef[] = subjects.map((subject) => ({ subject, version: 'latest', purpose: 'read' }));
  const rows: RegistryBenchRow[] = [];

  const cold = createHttpRegistry({ url });
  let t = performance.now();
  const resolved = await createSchemaSource(cold).resolve(refs);
  rows.push({ run: 'cold: no lock, no cache', subjects: count, requests: cold.stats().requests, ms: performance.now() - t });
  if (resolved.diagnostics.some((d) => d.severity === 'error')) throw new Error(resolved.diagnostics[0]?.message ?? 'resolve failed');
  const lock = lockFromCatalog(resolved.catalog);

  const cacheDir = await mkdtemp(path.join(tmpdir(), 'pipec-bench-cache-'));
  const locked = createHttpRegistry({ url });
  t = performance.now();
  await createLockedSource(createSchemaSource(createCachedStore(locked, cacheDir)), lock).resolve(refs);
  rows.push({ run: 'pipec.lock, cold cache', subjects: count, requests: locked.stats().requests, ms: performance.now() - t });

  const warm = createHttpRegistry({ url });
  t = performance.now();
  await createLockedSource(createSchemaSource(createCachedStore(warm, cacheDir)), lock).resolve(refs);
  rows.push({ run: 'pipec.lock, warm cache', subjects: count, requests: warm.stats().requests, ms: performance.now() - t });
  return rows;
}
