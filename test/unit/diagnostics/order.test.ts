import { expect, test } from 'vitest';
import { diagnostic } from '../../../compiler/diagnostics/diagnostic.ts';
import { sortDiagnostics } from '../../../compiler/diagnostics/order.ts';
import { importOrder } from '../../../compiler/project/modules.ts';
import { parseFiles } from '../../helpers/check.ts';

const at = (file: string, start: number) => ({ file, start, end: start + 1 });

test('configuration and schemas first, then syntax, then the program; imported files before importers; then position', () => {
  const files = parseFiles({
    'a.pipe': "pipeline a;\nimport payments from 'lib/z.pipe';\n",
    'lib/z.pipe': "import loans from 'm.pipe';\nsource payments from kafka topic 'p' format avro;\n",
    'lib/m.pipe': "source loans from kafka topic 'l' format avro;\n",
  });
  const order = importOrder(files.map((f) => f.ast));
  expect(order).toEqual(['lib/m.pipe', 'lib/z.pipe', 'a.pipe']);
  const sorted = sortDiagnostics(
    [
      diagnostic('unnamed-column', {}, at('a.pipe', 5)),
      diagnostic('unnamed-column', {}, at('a.pipe', 1)),
      diagnostic('unknown-relation', { name: 'x', candidates: [] }, at('lib/z.pipe', 3)),
      diagnostic('duplicate-column', { column: 'c' }, at('lib/m.pipe', 9)),
      diagnostic('local-schema-not-found', { subject: 's', folder: 'schemas', candidates: [] }, at('a.pipe', 0)),
      diagnostic('lockfile-missing', { path: 'pipec.lock' }, undefined),
    ],
    order,
  );
  expect(sorted.map((d) => `${d.code} ${d.span ? `${d.span.file}:${d.span.start}` : ''}`.trim())).toEqual([
    'lockfile-missing',
    'local-schema-not-found a.pipe:0',
    'duplicate-column lib/m.pipe:9',
    'unknown-relation lib/z.pipe:3',
    'unnamed-column a.pipe:1',
    'unnamed-column a.pipe:5',
  ]);
});
