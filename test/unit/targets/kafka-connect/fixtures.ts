/**
 * The Kafka Connect target's test project: a connection of every type and a pipeline with every connector kind.
 */
import type { ResolvedConfig } from '../../../../compiler/config/schema.ts';
import { testSchemas } from '../../../helpers/check.ts';
import { t } from '../../../../compiler/types/types.ts';
import { DEFAULT_FLINK_LINE } from '../../../../stdlib/flink-lines.ts';

export const connectConfig: ResolvedConfig = {
  project: 'acme',
  pipelines: '.',
  schemas: 'schemas',
  out: 'build',
  rules: {},
  flink: { version: DEFAULT_FLINK_LINE },
  kafka: { bootstrap_servers: 'localhost:9092', properties: {}, default_partitions: 2, default_replication: 1 },
  connections: {
    pg: { type: 'postgres', host: 'pg.internal', port: 5432, database: 'app', user: '${env:PG_USER}', password: '${file:/etc/pipec/pg.properties:password}', topic_prefix: 'app' },
    my: { type: 'mysql', host: 'mysql.internal', port: 3306, database: 'crm', user: 'cdc', password: '${env:MYSQL_PASSWORD}', topic_prefix: 'crm' },
    dw: { type: 'postgres', host: 'dw.internal', port: 5432, database: 'dw', user: '${env:DW_USER}', password: '${env:DW_PASSWORD}' },
    lake: { type: 's3', bucket: 'acme-lake', region: 'eu-west-1', access_key_id: '${env:AWS_ACCESS_KEY_ID}', secret_access_key: '${env:AWS_SECRET_ACCESS_KEY}' },
    search: { type: 'elasticsearch', url: 'https://es.internal:9200', user: 'writer', password: '${env:ES_PASSWORD}' },
    os: { type: 'opensearch', url: 'https://os.internal:9200' },
    audit: { type: 'connector', properties: { 'audit.endpoint': 'https://audit.internal' } },
  },
  environment: 'staging',
  root: '/project',
};

export const rows = {
  ...testSchemas,
  'app.public.loans-value': testSchemas['loans.public.loans-value'] ?? [],
  'crm.crm.customers-value': [
    { name: 'before', type: t.row([{ name: 'customer_id', type: t.string(false) }, { name: 'name', type: t.string(false) }]) },
    { name: 'after', type: t.row([{ name: 'customer_id', type: t.string(false) }, { name: 'name', type: t.string(false) }]) },
    { name: 'op', type: t.string(false) },
  ],
};

export const PROJECT = `
pipeline everything with (checkpoint = 10 s);
source loans from postgres table 'public.loans' via connection pg format avro primary key (loan_id);
source customers from mysql table 'crm.customers' via connection my format json primary key (customer_id);
source payments from kafka topic 'payments' format avro event time event_time watermark 5 s;
stream per_customer as select customer_id, count(*) as n, sum(amount) as total from payments group by customer_id;
stream paid as select payment_id, customer_id, amount, status, event_time from payments;
sink per_customer into postgres table 'reporting.per_customer' via connection dw upsert key (customer_id);
sink paid into s3 path 'archive/payments' via connection lake format json;
sink per_customer into elasticsearch index 'per-customer' via connection search upsert key (customer_id);
sink per_customer into opensearch index 'per-customer' via connection os upsert key (customer_id);
sink paid into connector 'com.acme.kafka.connect.AuditSink' via connection audit
  with ('audit.batch.size' = '500', 'audit.token' = secret('audit-token'));
sink loans into kafka topic 'loans.copy' format avro upsert key (loan_id);
sink customers into kafka topic 'customers.copy' format avro upsert key (customer_id);
`;

