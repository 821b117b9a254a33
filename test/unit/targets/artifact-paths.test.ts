/**
 * Names reach the build's file names (a pipeline's folder, a connector's file): no name, however written,
 * makes a path outside its folder or two artifacts share one file.
 */
import { expect, test } from 'vitest';
import { boundedFileName as fileNameOf } from '../../../compiler/util/file-name.ts';
import { compileFiles, PRELUDE } from '../../helpers/check.ts';

test('file names keep plain names and encode every other byte, so they never leave their folder', () => {
  expect(fileNameOf('p-prod-collections.missed_per_hour')).toBe('p-prod-collections.missed_per_hour');
  expect(fileNameOf('p-prod-../../../etc/x')).toBe('p-prod-..%2F..%2F..%2Fetc%2Fx');
  expect(fileNameOf('a%2Fb')).toBe('a%252Fb');
  expect(fileNameOf('a/b')).not.toBe(fileNameOf('a%2Fb'));
  expect(fileNameOf('zahlungen_€')).toBe('zahlungen_%E2%82%AC');
  const long = fileNameOf('x'.repeat(300));
  expect(long.length).toBeLessThanOrEqual(200);
  expect(long).not.toBe(fileNameOf(`${'x'.repeat(299)}y`));
});

test('a stream named like a path is refused at its name; one named `..` writes its sink connector inside the pipeline folder', () => {
  const program = (name: string): string =>
    `pipeline p with (checkpoint = 10 s);\n${PRELUDE}\nstream \`${name}\` as select payment_id, amount from payments;\nsink \`${name}\` into postgres table 'public.t' via connection warehouse upsert key (payment_id);`;
  const escaping = compileFiles({ 'p.pipe': program('../../../outside') });
  expect(escaping.output).toBeUndefined();
  expect(escaping.diagnostics.map((d) => d.code)).toContain('invalid-external-name');

  const result = compileFiles({ 'p.pipe': program('..') });
  const paths = result.output?.artifacts.map((a) => a.path) ?? [];
  expect(paths).toContain('p/connect/test-default-p-.._postgres.json');
  for (const p of paths) expect(p.split('/')).not.toContain('..');
  const manifest = JSON.parse(result.output?.artifacts.find((a) => a.path === 'manifest.json')?.contents ?? '{}') as { pipelines: { connectors: { config: string }[] }[] };
  expect(manifest.pipelines[0]?.connectors.map((c) => c.config)).toEqual(['p/connect/test-default-p-.._postgres.json']);
});
