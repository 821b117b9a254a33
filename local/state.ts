/**
 * The stack's state file (<dir>/state.json): which pids `up` started, so `down` stops exactly those and
 * `status` can tell a crash from a stop. Written after every start, so a half-finished `up` is still cleaned.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { flinkLineSchema } from '../stdlib/flink-lines.ts';

const processEntry = z.object({ pid: z.number().int().positive(), marker: z.string(), startedAt: z.string() });

export const stackStateSchema = z.object({
  version: z.literal(1),
  flink: flinkLineSchema,
  flinkVersion: z.string(),
  startedAt: z.string(),
  processes: z.object({
    postgres: processEntry.optional(),
    kafka: processEntry.optional(),
    'schema-registry': processEntry.optional(),
    connect: processEntry.optional(),
    flink: processEntry.optional(),
  }),
});

export type StackState = z.infer<typeof stackStateSchema>;
export type ProcessEntry = z.infer<typeof processEntry>;

export function readState(file: string): StackState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = stackStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function writeState(file: string, state: StackState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export function removeState(file: string): void {
  rmSync(file, { force: true });
}
