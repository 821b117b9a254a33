/**
 * Flink SQL written by hand to the runtime's contract (targets/flink-sql/runtime/README.md §3), and the REST
 * look-ups the runtime tests share.
 */

/** The five metadata columns of a guarded source (README §2), as DDL column lines. */
export const GUARD_METADATA_COLUMNS = `\`pipec_topic\` STRING METADATA FROM 'topic' VIRTUAL,
    \`pipec_partition\` INT METADATA FROM 'partition' VIRTUAL,
    \`pipec_offset\` BIGINT METADATA FROM 'offset' VIRTUAL,
    \`pipec_timestamp\` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
    \`pipec_headers\` MAP<STRING, BYTES> METADATA FROM 'headers' VIRTUAL`;

/** The dead-letter sink: original key and value bytes, headers (README §3). */
export function deadLetterSink(name: string, topic: string, kafkaOptions: string): string {
  return `CREATE TEMPORARY TABLE \`${name}\` (\`key\` BYTES, \`value\` BYTES, \`headers\` MAP<STRING, BYTES> METADATA) WITH (
    'connector' = 'kafka', 'topic' = '${topic}', ${kafkaOptions},
    'key.format' = 'raw', 'key.fields' = 'key', 'value.format' = 'raw', 'value.fields-include' = 'EXCEPT_KEY',
    'sink.delivery-guarantee' = 'at-least-once')`;
}

/** The dead-letter INSERT; `error` is the SQL of the error text, `bad` the condition of a bad row. */
export function deadLetterInsert(sink: string, source: string, error = '`pipec_error`', bad = '`pipec_error` IS NOT NULL'): string {
  return `INSERT INTO \`${sink}\`
    SELECT \`pipec_raw_key\`, \`pipec_raw_value\`, MAP_UNION(\`pipec_headers\`, MAP[
      'pipec.error.topic', CAST(\`pipec_topic\` AS BYTES),
      'pipec.error.partition', CAST(CAST(\`pipec_partition\` AS STRING) AS BYTES),
      'pipec.error.offset', CAST(CAST(\`pipec_offset\` AS STRING) AS BYTES),
      'pipec.error.timestamp', CAST(CAST(UNIX_TIMESTAMP(CAST(\`pipec_timestamp\` AS STRING)) AS STRING) AS BYTES),
      'pipec.error.message', CAST(${error} AS BYTES)])
    FROM \`${source}\` WHERE ${bad}`;
}

/** A counter of a job (every metric whose name ends in `.<metric>`), summed over operators and subtasks, from Flink's REST API; undefined while none is registered. */
export async function jobCounter(flinkRestUrl: string, jobId: string, metric: string): Promise<number | undefined> {
  const job = (await (await fetch(`${flinkRestUrl}/jobs/${jobId}`)).json()) as { vertices: { id: string }[] };
  let total: number | undefined;
  for (const v of job.vertices) {
    const names = (await (await fetch(`${flinkRestUrl}/jobs/${jobId}/vertices/${v.id}/metrics`)).json()) as { id: string }[];
    const ids = names.map((n) => n.id).filter((n) => n.endsWith(`.${metric}`));
    if (ids.length === 0) continue;
    const values = (await (await fetch(`${flinkRestUrl}/jobs/${jobId}/vertices/${v.id}/metrics?get=${ids.map(encodeURIComponent).join(',')}`)).json()) as { value: string }[];
    total = (total ?? 0) + values.reduce((sum, x) => sum + Number(x.value), 0);
  }
  return total;
}

export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
