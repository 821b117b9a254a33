/**
 * `pipec init [dir]`: a new project that checks and compiles as it is — pipec.yaml, one schema in the local
 * schema folder, one pipeline, and a GitHub Actions workflow that checks every pull request. Writes nothing when
 * any of these files exists already.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { displayPath } from '../driver/project.ts';
import { escapeControls } from '../diagnostics/user-text.ts';
import type { Printer } from './output.ts';
import { VERSION } from './version.ts';
import { DEFAULT_FLINK_LINE } from '../../stdlib/flink-lines.ts';

/** A project name pipec.yaml accepts, from the folder's name. */
export function projectName(dir: string): string {
  const name = path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return name || 'pipelines';
}

function files(name: string): Readonly<Record<string, string>> {
  return {
    'pipec.yaml': `# pipec project (docs/config.md). Schemas come from schemas/ until a registry is named:
#   registry:
#     url: http://localhost:18085/apis/ccompat/v7
project: ${name}
pipelines: .
schemas: schemas

flink:
  version: '${DEFAULT_FLINK_LINE}'

kafka:
  bootstrap_servers: localhost:19092
  default_partitions: 1
`,
    'schemas/orders-value.avsc': `${JSON.stringify(
      {
        type: 'record',
        name: 'Order',
        namespace: name.replaceAll('-', '_'),
        doc: 'One order, as the shop publishes it to the `orders` topic.',
        fields: [
          { name: 'order_id', type: 'string' },
          { name: 'customer_id', type: 'string' },
          { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
          { name: 'currency', type: 'string' },
          { name: 'ordered_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
        ],
      },
      null,
      2,
    )}\n`,
    'orders_per_minute.pipe': `-- Orders and revenue per currency and minute.
pipeline orders_per_minute
  with (parallelism = 1, checkpoint = 1 min);

source orders from kafka topic 'orders'
  format avro
  event time ordered_at watermark 5 s
  startup earliest;

stream per_minute as
  select window_start, window_end, currency, count(*) as orders, sum(amount) as revenue
  from orders window tumbling(ordered_at, 1 min)
  group by window_start, window_end, currency;

sink per_minute into kafka topic 'orders.per-minute'
  format avro;
`,
    '.github/workflows/pipec.yml': `# Checks every pull request: pipelines against their schemas, and formatting.
name: pipec
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 24
      # Errors and warnings become annotations on the pull request.
      - run: npx --yes pipec@${VERSION} check --max-warnings 0
      - run: npx --yes pipec@${VERSION} fmt --check
`,
    '.gitignore': 'build/\n',
  };
}

export async function runInit(dir: string, print: Printer): Promise<number> {
  const root = path.resolve(dir);
  const wanted = files(projectName(root));
  const present: string[] = [];
  for (const file of Object.keys(wanted)) {
    if (await exists(path.join(root, file))) present.push(displayPath(path.join(root, file)));
  }
  if (present.length > 0) {
    process.stderr.write(`pipec: ${escapeControls(present.join(', '))} ${present.length === 1 ? 'exists' : 'exist'} already; init writes nothing into a project\n  hint: run \`pipec init <new folder>\`\n`);
    return 2;
  }
  for (const [file, text] of Object.entries(wanted)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text, { flag: 'wx' });
  }
  print.info(`created a pipec project in ${displayPath(root)}/: ${Object.keys(wanted).join(', ')}`);
  print.info(`next: pipec check ${displayPath(root)} && pipec compile ${displayPath(root)}`);
  return 0;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
