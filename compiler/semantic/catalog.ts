/**
 * What the binder needs from the schema layer (compiler/schemas): a synchronous, already-resolved snapshot.
 * The driver resolves every subject the program refers to (collectSubjects) before binding, so binding
 * stays pure and never waits on the network.
 */
import type { RowField } from '../types/types.ts';
import type { SinkSubject } from '../schemas/catalog.ts';
import type { FieldNote } from '../schemas/mapping.ts';

export interface SubjectSchema {
  readonly subject: string;
  readonly version: number;
  readonly schemaType: 'AVRO' | 'JSON' | 'PROTOBUF';
  readonly row: readonly RowField[];
  /** Avro record full name or Protobuf message full name. */
  readonly recordName?: string | undefined;
  /** Avro only: the reader schema to pin in Flink DDL, whose conversion is exactly `row`. */
  readonly flinkSchema?: string | undefined;
  /** Fields read as something else than the schema says (a logical type Flink's format ignores). */
  readonly notes?: readonly FieldNote[] | undefined;
}

export interface SchemaLookup {
  /** Undefined when the subject could not be resolved; the resolver has reported why. */
  get(subject: string, version: number | 'latest'): SubjectSchema | undefined;
  /** A sink subject's registered history and compatibility level; undefined when it was not looked up. */
  sink(subject: string): SinkSubject | undefined;
}
