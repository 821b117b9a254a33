/**
 * A generated corpus of realistic pipelines for the compile benchmarks: one shared sources file and N
 * pipeline files, each with an enrichment join, a windowed aggregate, a dedupe and two sinks (~45 lines).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { rowToAvro } from '../../compiler/schemas/row-to-avro.ts';
import type { SourceFile } from '../../compiler/source/source.ts';
import type { RowField } from '../../compiler/types/types.ts';
import { t } from '../../compiler/types/types.ts';

export const corpusSchemas: Readonly<Record<string, readonly RowField[]>> = {
  'payments-value': [
    { name: 'payment_id', type: t.string(false) },
    { name: 'loan_id', type: t.string(false) },
    { name: 'customer_id', type: t.string(false) },
    { name: 'amount', type: t.decimal(12, 2, false) },
    { name: 'currency', type: t.string(false) },
    { name: 'status', type: t.string(false) },
    { name: 'event_time', type: t.timestamp(3, false) },
  ],
  'merchants-key': [{ name: 'merchant_id', type: t.string(false) }],
  'merchants-value': [
    { name: 'merchant_id', type: t.string(false) },
    { name: 'category', type: t.string(false) },
    { name: 'updated_at', type: t.timestamp(3, false) },
  ],
};

const SHARED = `-- shared sources
source payments from kafka topic 'payments'
  format avro
  event time event_time watermark 5 s
  startup earliest;

source merchants from kafka topic 'merchants'
  format avro
  primary key (merchant_id)
  event time updated_at watermark 0 s;
`;

function pipeline(i: number): string {
  return `-- generated pipeline ${i}
pipeline p${i}
  owner 'team-${i % 7}'
  description 'generated pipeline number ${i}'
  with (parallelism = ${1 + (i % 4)}, checkpoint = 30 s, state_ttl = 1 d);

import payments, merchants from 'shared.pipe';

stream enriched_${i} as
  select
    p.payment_id,
    p.customer_id,
    m.category,
    p.amount * ${i + 1} as weighted,
    case when p.amount > ${100 + i} then 'large' else 'small' end as size,
    p.event_time
  from payments p
  join merchants for system_time as of p.event_time m on p.loan_id = m.merchant_id
  where p.status = 'PAID' and p.currency in ('EUR', 'USD');

stream volume_${i} as
  select window_start, window_end, category, count(*) as payments, sum(weighted) as total
  from enriched_${i} window tumbling(event_time, ${1 + (i % 5)} min)
  group by window_start, window_end, category;

stream first_${i} as dedupe enriched_${i} by payment_id keep first;

sink volume_${i} into kafka topic 'out.volume-${i}'
  format avro
  partitions 3;

sink first_${i} into kafka topic 'out.first-${i}'
  format avro
  upsert key (payment_id);
`;
}

export function corpus(pipelines: number): SourceFile[] {
  const files: SourceFile[] = [{ path: 'shared.pipe', text: SHARED }];
  for (let i = 0; i < pipelines; i++) files.push({ path: `p${i}.pipe`, text: pipeline(i) });
  return files;
}

export const lineCount = (files: readonly SourceFile[]): number => files.reduce((n, f) => n + f.text.split('\n').length, 0);

/**
 * The corpus as a project on disk, for timing the `pipec` process: pipec.yaml, the `.pipe` files and the
 * schemas as `.avsc` files in the local schema folder (generated from corpusSchemas, so they map back to them).
 */
export async function writeCorpusProject(dir: string, pipelines: number): Promise<void> {
  await mkdir(path.join(dir, 'schemas'), { recursive: true });
  await writeFile(path.join(dir, 'pipec.yaml'), 'project: bench\npipelines: .\nschemas: schemas\n');
  for (const [subject, row] of Object.entries(corpusSchemas)) {
    const generated = rowToAvro(row, { namespace: 'bench', name: subject.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()) });
    if (!generated.ok) throw new Error(`cannot write the corpus schema ${subject}`);
    await writeFile(path.join(dir, 'schemas', `${subject}.avsc`), generated.schema);
  }
  for (const f of corpus(pipelines)) await writeFile(path.join(dir, f.path), f.text);
}
