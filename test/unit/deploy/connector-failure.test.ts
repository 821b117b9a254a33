/**
 * How a failed connector task is reported: the root cause of its Java trace first, and for Debezium's JDBC sink
 * that could not create its table, what that most often means.
 */
import { describe, expect, test } from 'vitest';
import { failureHint, traceCause } from '../../../deploy/impl/connector.ts';

const TRACE = [
  'org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.',
  '\tat org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:636)',
  'Caused by: org.apache.kafka.connect.errors.ConnectException: Error while checking and applying table changes',
  '\tat io.debezium.connector.jdbc.JdbcChangeEventSink.execute(JdbcChangeEventSink.java:84)',
  'Caused by: java.sql.SQLException: Could not find table: analytics.per_hour',
  '\t... 17 more',
].join('\n');

describe('a failed task', () => {
  test('is reported by its last cause, then where Connect first reported it', () => {
    expect(traceCause(TRACE)).toBe('java.sql.SQLException: Could not find table: analytics.per_hour (reported as: org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.)');
    expect(traceCause('java.lang.IllegalStateException: boom\n\tat x.y(Z.java:1)')).toBe('java.lang.IllegalStateException: boom');
    expect(traceCause(undefined)).toBe('no trace');
  });

  test('a JDBC sink that could not create its table names the schema to check', () => {
    const jdbc = { 'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector' };
    expect(failureHint(jdbc, traceCause(TRACE))).toBe(
      'the sink could not create table analytics.per_hour: the database\'s reason is in the Connect worker\'s log; most often schema "analytics" does not exist (CREATE SCHEMA analytics) or the connector\'s user may not create tables in it',
    );
    expect(failureHint({ 'connector.class': 'io.confluent.connect.s3.S3SinkConnector' }, traceCause(TRACE))).toBeUndefined();
    expect(failureHint(jdbc, 'java.lang.IllegalStateException: boom')).toBeUndefined();
  });
});
