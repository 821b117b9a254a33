-- Hand-written Flink SQL for the payments_enriched pipeline (examples/payments_enriched.pipe): what a Flink SQL expert would write
-- for the same semantics and the same output, without pipec. The benchmark (npm run bench jobs) runs it
-- against pipec's job.sql and checks that both write the same rows.
--
-- The CREATE TABLE statements are the topics' contracts, not choices: the columns of the registry's schemas,
-- the formats, the sink's key, schema and delivery options are those of the topics the pipeline reads and
-- writes, so they are the same text as pipec's (table names too, so EXPLAIN plans compare line by line).
-- Endpoint placeholders and topic names are filled in by the benchmark exactly as for the generated job.

SET 'pipeline.name' = 'hand.payments_enriched';
-- The pipeline's parallelism and checkpoint interval (operational settings the .pipe file states).
SET 'parallelism.default' = '2';
SET 'execution.checkpointing.interval' = '30 s';

CREATE TEMPORARY TABLE `payments` (
  `payment_id` STRING NOT NULL,
  `loan_id` STRING NOT NULL,
  `customer_id` STRING NOT NULL,
  `installment` INT NOT NULL,
  `amount` DECIMAL(12, 2) NOT NULL,
  `currency` STRING NOT NULL,
  `status` STRING NOT NULL,
  `due_at` TIMESTAMP(3) NOT NULL,
  `event_time` TIMESTAMP(3) NOT NULL,
  `retry_of` STRING,
  WATERMARK FOR `event_time` AS `event_time` - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'properties.bootstrap.servers' = '${pipec:kafka.bootstrap_servers}',
  'properties.group.id' = 'lendwell.default.payments_enriched',
  'scan.startup.mode' = 'earliest-offset',
  'topic' = 'payments',
  'value.avro-confluent.schema' = '{"type":"record","name":"com.lendwell.payments.Payment","doc":"One installment payment attempt.","fields":[{"name":"payment_id","type":"string"},{"name":"loan_id","type":"string"},{"name":"customer_id","type":"string"},{"name":"installment","type":"int"},{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"currency","type":"string"},{"name":"status","type":{"type":"enum","name":"com.lendwell.payments.PaymentStatus","symbols":["PAID","MISSED","LATE","REFUNDED"]}},{"name":"due_at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"event_time","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"retry_of","type":["null","string"],"default":null}]}',
  'value.avro-confluent.subject' = 'payments-value',
  'value.avro-confluent.url' = '${pipec:registry.url}',
  'value.format' = 'avro-confluent'
);

CREATE TEMPORARY TABLE `loans` (
  `loan_id` STRING NOT NULL,
  `customer_id` STRING NOT NULL,
  `merchant_id` STRING NOT NULL,
  `principal` DECIMAL(12, 2) NOT NULL,
  `installments` INT NOT NULL,
  `status` STRING NOT NULL,
  `opened_at` BIGINT NOT NULL,
  `published_at` TIMESTAMP_LTZ(3) NOT NULL METADATA FROM 'timestamp',
  `changed_at` AS CAST(`published_at` AS TIMESTAMP(3)),
  WATERMARK FOR `changed_at` AS `changed_at`,
  PRIMARY KEY (`loan_id`) NOT ENFORCED
) WITH (
  'connector' = 'kafka',
  'properties.bootstrap.servers' = '${pipec:kafka.bootstrap_servers}',
  'properties.group.id' = 'lendwell.default.payments_enriched',
  'scan.startup.mode' = 'earliest-offset',
  'topic' = 'loans.public.loans',
  'value.debezium-avro-confluent.subject' = 'loans.public.loans-value',
  'value.debezium-avro-confluent.url' = '${pipec:registry.url}',
  'value.format' = 'debezium-avro-confluent'
);

CREATE TEMPORARY TABLE `enriched_topic` (
  `payment_id` STRING NOT NULL,
  `loan_id` STRING NOT NULL,
  `customer_id` STRING NOT NULL,
  `merchant_id` STRING NOT NULL,
  `installment` INT NOT NULL,
  `amount` DECIMAL(12, 2) NOT NULL,
  `principal` DECIMAL(12, 2) NOT NULL,
  `status` STRING NOT NULL,
  `event_time` TIMESTAMP(3) NOT NULL
) WITH (
  'connector' = 'kafka',
  'key.avro-confluent.schema' = '{"type":"record","name":"EnrichedKey","namespace":"lendwell.payments_enriched","fields":[{"name":"loan_id","type":"string"}]}',
  'key.avro-confluent.subject' = 'payments.enriched-key',
  'key.avro-confluent.url' = '${pipec:registry.url}',
  'key.fields' = 'loan_id',
  'key.format' = 'avro-confluent',
  'properties.bootstrap.servers' = '${pipec:kafka.bootstrap_servers}',
  'sink.delivery-guarantee' = 'at-least-once',
  'topic' = 'payments.enriched',
  'value.avro-confluent.schema' = '{"type":"record","name":"Enriched","namespace":"lendwell.payments_enriched","fields":[{"name":"payment_id","type":"string"},{"name":"loan_id","type":"string"},{"name":"customer_id","type":"string"},{"name":"merchant_id","type":"string"},{"name":"installment","type":"int"},{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"principal","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"status","type":"string"},{"name":"event_time","type":{"type":"long","logicalType":"timestamp-millis"}}]}',
  'value.avro-confluent.subject' = 'payments.enriched-value',
  'value.avro-confluent.url' = '${pipec:registry.url}',
  'value.fields-include' = 'ALL',
  'value.format' = 'avro-confluent'
);

-- One INSERT, no view: a single sink needs no statement set. The event-time temporal join is the idiomatic
-- enrichment against a versioned (CDC) table: each payment meets the loan row valid at its event time, and
-- the join keeps only the latest versions the watermark still needs. `status` is already a STRING column, so
-- it is selected as is (the .pipe file's cast is a no-op).
INSERT INTO `enriched_topic`
SELECT p.payment_id, p.loan_id, l.customer_id, l.merchant_id, p.installment, p.amount, l.principal, p.status, p.event_time
FROM `payments` AS p
JOIN `loans` FOR SYSTEM_TIME AS OF p.event_time AS l
  ON p.loan_id = l.loan_id;
