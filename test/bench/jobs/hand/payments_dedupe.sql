-- Hand-written Flink SQL for the payments_dedupe pipeline (examples/payments_dedupe.pipe): what a Flink SQL expert would write
-- for the same semantics and the same output, without pipec. The benchmark (npm run bench jobs) runs it
-- against pipec's job.sql and checks that both write the same rows.
--
-- The CREATE TABLE statements are the topics' contracts, not choices: the columns of the registry's schemas,
-- the formats, the sink's key, schema and delivery options are those of the topics the pipeline reads and
-- writes, so they are the same text as pipec's (table names too, so EXPLAIN plans compare line by line).
-- Endpoint placeholders and topic names are filled in by the benchmark exactly as for the generated job.

SET 'pipeline.name' = 'hand.payments_dedupe';
SET 'parallelism.default' = '2';
SET 'execution.checkpointing.interval' = '30 s';
-- state_ttl = 2 d is part of the semantics: a payment id not seen for two days may pass again.
SET 'table.exec.state.ttl' = '2 d';

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
  'properties.group.id' = 'lendwell.default.payments_dedupe',
  'scan.startup.mode' = 'earliest-offset',
  'topic' = 'payments',
  'value.avro-confluent.schema' = '{"type":"record","name":"com.lendwell.payments.Payment","doc":"One installment payment attempt.","fields":[{"name":"payment_id","type":"string"},{"name":"loan_id","type":"string"},{"name":"customer_id","type":"string"},{"name":"installment","type":"int"},{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"currency","type":"string"},{"name":"status","type":{"type":"enum","name":"com.lendwell.payments.PaymentStatus","symbols":["PAID","MISSED","LATE","REFUNDED"]}},{"name":"due_at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"event_time","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"retry_of","type":["null","string"],"default":null}]}',
  'value.avro-confluent.subject' = 'payments-value',
  'value.avro-confluent.url' = '${pipec:registry.url}',
  'value.format' = 'avro-confluent'
);

CREATE TEMPORARY TABLE `unique_payments_topic` (
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
  PRIMARY KEY (`payment_id`) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'key.avro-confluent.schema' = '{"type":"record","name":"UniquePaymentsKey","namespace":"lendwell.payments_dedupe","fields":[{"name":"payment_id","type":"string"}]}',
  'key.avro-confluent.subject' = 'payments.unique-key',
  'key.avro-confluent.url' = '${pipec:registry.url}',
  'key.format' = 'avro-confluent',
  'properties.bootstrap.servers' = '${pipec:kafka.bootstrap_servers}',
  'properties.transaction.timeout.ms' = '900000',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'lendwell.default.payments_dedupe.unique_payments_topic',
  'topic' = 'payments.unique',
  'value.avro-confluent.schema' = '{"type":"record","name":"UniquePayments","namespace":"lendwell.payments_dedupe","fields":[{"name":"payment_id","type":"string"},{"name":"loan_id","type":"string"},{"name":"customer_id","type":"string"},{"name":"installment","type":"int"},{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"currency","type":"string"},{"name":"status","type":"string"},{"name":"due_at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"event_time","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"retry_of","type":["null","string"],"default":null}]}',
  'value.avro-confluent.subject' = 'payments.unique-value',
  'value.avro-confluent.url' = '${pipec:registry.url}',
  'value.fields-include' = 'ALL',
  'value.format' = 'avro-confluent'
);

-- Flink's deduplication pattern: ROW_NUMBER() over the key ordered by the event time ascending, filtered to
-- the first row, which the planner turns into a Deduplicate operator (one row of state per payment id) rather
-- than a general Top-N. Ordering by event time (not processing time) keeps the first payment in event time,
-- so a duplicate arriving late with an earlier time replaces the row: an upsert stream keyed by payment_id.
INSERT INTO `unique_payments_topic`
SELECT payment_id, loan_id, customer_id, installment, amount, currency, status, due_at, event_time, retry_of
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY payment_id ORDER BY event_time ASC) AS row_num
  FROM `payments`
)
WHERE row_num = 1;
