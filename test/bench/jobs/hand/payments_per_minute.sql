-- Hand-written Flink SQL for the payments_per_minute pipeline (examples/payments_per_minute.pipe): what a Flink SQL expert would write
-- for the same semantics and the same output, without pipec. The benchmark (npm run bench jobs) runs it
-- against pipec's job.sql and checks that both write the same rows.
--
-- The CREATE TABLE statements are the topics' contracts, not choices: the columns of the registry's schemas,
-- the formats, the sink's key, schema and delivery options are those of the topics the pipeline reads and
-- writes, so they are the same text as pipec's (table names too, so EXPLAIN plans compare line by line).
-- Endpoint placeholders and topic names are filled in by the benchmark exactly as for the generated job.

SET 'pipeline.name' = 'hand.payments_per_minute';
SET 'parallelism.default' = '2';
SET 'execution.checkpointing.interval' = '1 min';
-- No 'table.exec.state.ttl': a window aggregate frees each window's state when the watermark closes it, so a
-- TTL has nothing to bound (the .pipe file's state_ttl = 1 h changes nothing here either).
-- Left at Flink's defaults: 'table.optimizer.agg-phase-strategy' = AUTO, which for a window aggregate already
-- means a local (pre-aggregating) and a global stage, and no mini-batch, which window aggregates do not use.

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
  'properties.group.id' = 'lendwell.default.payments_per_minute',
  'scan.startup.mode' = 'earliest-offset',
  'topic' = 'payments',
  'value.avro-confluent.schema' = '{"type":"record","name":"com.lendwell.payments.Payment","doc":"One installment payment attempt.","fields":[{"name":"payment_id","type":"string"},{"name":"loan_id","type":"string"},{"name":"customer_id","type":"string"},{"name":"installment","type":"int"},{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"currency","type":"string"},{"name":"status","type":{"type":"enum","name":"com.lendwell.payments.PaymentStatus","symbols":["PAID","MISSED","LATE","REFUNDED"]}},{"name":"due_at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"event_time","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"retry_of","type":["null","string"],"default":null}]}',
  'value.avro-confluent.subject' = 'payments-value',
  'value.avro-confluent.url' = '${pipec:registry.url}',
  'value.format' = 'avro-confluent'
);

CREATE TEMPORARY TABLE `volume_topic` (
  `window_start` TIMESTAMP(3) NOT NULL,
  `window_end` TIMESTAMP(3) NOT NULL,
  `currency` STRING NOT NULL,
  `status` STRING NOT NULL,
  `payments` BIGINT NOT NULL,
  `total_amount` DECIMAL(38, 2) NOT NULL,
  `largest_amount` DECIMAL(12, 2) NOT NULL
) WITH (
  'connector' = 'kafka',
  'properties.bootstrap.servers' = '${pipec:kafka.bootstrap_servers}',
  'sink.delivery-guarantee' = 'at-least-once',
  'topic' = 'payments.volume-per-minute',
  'value.avro-confluent.schema' = '{"type":"record","name":"Volume","namespace":"lendwell.payments_per_minute","fields":[{"name":"window_start","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"window_end","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"currency","type":"string"},{"name":"status","type":"string"},{"name":"payments","type":"long"},{"name":"total_amount","type":{"type":"bytes","logicalType":"decimal","precision":38,"scale":2}},{"name":"largest_amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}}]}',
  'value.avro-confluent.subject' = 'payments.volume-per-minute-value',
  'value.avro-confluent.url' = '${pipec:registry.url}',
  'value.format' = 'avro-confluent'
);

-- The windowing TVF (not the legacy GROUP BY TUMBLE(...)), the form Flink optimizes best: window state
-- sliced by window, emitted once per window when the watermark passes its end (an append-only result).
INSERT INTO `volume_topic`
SELECT window_start, window_end, currency, status, COUNT(*) AS payments, SUM(amount) AS total_amount, MAX(amount) AS largest_amount
FROM TABLE(TUMBLE(TABLE `payments`, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, currency, status;
