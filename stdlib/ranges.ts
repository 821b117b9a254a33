/**
 * The range of every whole number the language takes, as data: checked at the number's span (compiler/ast/build.ts,
 * the binder) and listed in docs/language.md. Bounds are the target systems' own limits, or a sane bound well
 * inside them where the system has none that a pipeline could reach.
 */
export interface NumberRange {
  /** What the number is, for messages: "a topic's partition count". */
  readonly what: string;
  /** What a non-whole number should have been, for messages: "a whole number of partitions". */
  readonly expected: string;
  readonly min: number;
  readonly max: number;
}

export const RANGES = {
  // Kafka has no hard limit; a topic with more partitions than this is beyond what a cluster serves well.
  partitions: { what: "a topic's partition count", expected: 'a whole number of partitions', min: 1, max: 10_000 },
  // Kafka's replication factor is a 16-bit number (and needs that many brokers).
  replication: { what: "a topic's replication factor", expected: 'a whole replication factor', min: 1, max: 32_767 },
  // Flink's largest max-parallelism is 2^15.
  parallelism: { what: "a job's parallelism", expected: 'a whole number greater than 0', min: 1, max: 32_768 },
  // Registry versions and `top N` (compared with ROW_NUMBER() as an INT) are 32-bit numbers.
  subjectVersion: { what: 'a subject version', expected: 'a whole version number', min: 1, max: 2_147_483_647 },
  topRows: { what: 'the number of rows `top` keeps', expected: 'a whole number of rows', min: 1, max: 2_147_483_647 },
} as const satisfies Readonly<Record<string, NumberRange>>;

/** `text` is a whole number's literal text (digits only); compared exactly, whatever its length. */
export function inRange(text: string, range: NumberRange): boolean {
  const n = BigInt(text);
  return n >= BigInt(range.min) && n <= BigInt(range.max);
}

export function describeRange(range: NumberRange): string {
  return `between ${range.min} and ${range.max}`;
}
