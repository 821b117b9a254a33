import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SubjectRef } from '../../../compiler/schemas/catalog.ts';
import { createFolderStore } from '../../../compiler/schemas/local-folder.ts';
import { pullSchemas } from '../../../compiler/schemas/pull.ts';
import { resolveCatalog } from '../../../compiler/schemas/resolve.ts';
import { fixturePath } from './helpers.ts';

const refs: SubjectRef[] = [
  { subject: 'orders-value', version: 'latest' },
  { subject: 'payments-value', version: 'latest' },
  { subject: 'invoices-value', version: 'latest' },
  { subject: 'enriched-orders-value', version: 'latest', purpose: 'write' },
];

describe('pullSchemas', () => {
  it('writes schemas, references and metadata that resolve back to the same catalog', async () => {
    const source = await resolveCatalog(createFolderStore(fixturePath('folder')), refs);
    const target = path.join(await mkdtemp(path.join(tmpdir(), 'pipec-pull-')), 'schemas');
    const result = await pullSchemas(source.catalog, target);
    expect(result.diagnostics).toEqual([]);
    expect((await readdir(target)).sort()).toEqual([
      'enriched-orders-value.avsc',
      'enriched-orders-value.meta.yaml',
      'invoices-value.meta.yaml',
      'invoices-value.proto',
      'money.proto.meta.yaml',
      'money.proto.proto',
      'orders-value.avsc',
      'orders-value.meta.yaml',
      'payments-value.avsc',
      'payments-value.meta.yaml',
      'shop.Money.avsc',
      'shop.Money.meta.yaml',
    ]);
    expect(await readFile(path.join(target, 'payments-value.meta.yaml'), 'utf8')).toBe(
      `# pulled by pipec from folder ${fixturePath('folder')}\nversion: 2\nid: 21\nreferences:\n  - name: shop.Money\n    subject: shop.Money\n    version: 1\n`,
    );
    const again = await resolveCatalog(createFolderStore(target), refs);
    expect(again.diagnostics).toEqual([]);
    expect({ ...again.catalog, source: '' }).toEqual({ ...source.catalog, source: '' });
    // Nothing is left behind from staging.
    expect((await readdir(path.dirname(target))).filter((f) => f.includes('pull'))).toEqual([]);
  });

  it('replaces a subject\'s file when its schema type changed', async () => {
    const source = await resolveCatalog(createFolderStore(fixturePath('folder')), [{ subject: 'customers-value', version: 'latest' }]);
    const target = await mkdtemp(path.join(tmpdir(), 'pipec-pull-'));
    await writeFile(path.join(target, 'customers-value.avsc'), '"string"');
    await pullSchemas(source.catalog, target);
    expect((await readdir(target)).sort()).toEqual(['customers-value.json', 'customers-value.meta.yaml']);
  });
});
