/**
 * The optimized execution plan Flink's planner makes of a job (EXPLAIN through the SQL Gateway), to tell
 * whether a generated job and its hand-written twin are the same job or why they differ.
 */
import type { SqlGatewayClient } from '../../../clients/sql-gateway.ts';
import type { PreparedRun } from './prepare.ts';

/** The `== Optimized Execution Plan ==` part of EXPLAIN's answer (the physical operators and their fields). */
export async function optimizedPlan(gateway: SqlGatewayClient, run: PreparedRun): Promise<string> {
  const session = await gateway.openSession();
  try {
    for (const statement of run.jobs[0]?.setup ?? []) await gateway.execute(session, statement);
    const explain = run.statementSet.startsWith('EXECUTE STATEMENT SET') ? run.statementSet.replace(/^EXECUTE /, 'EXPLAIN ') : `EXPLAIN ${run.statementSet}`;
    const res = await gateway.execute(session, explain);
    const text = res.rows.map((r) => String(r.fields[0] ?? '')).join('\n');
    const start = text.indexOf('== Optimized Execution Plan ==');
    if (start < 0) throw new Error(`EXPLAIN answered without an optimized execution plan: ${text.slice(0, 300)}`);
    return text.slice(start).trim();
  } finally {
    await gateway.closeSession(session).catch(() => undefined);
  }
}

/**
 * A sink's `targetColumns` only records that the INSERT named its columns (pipec's always do); it changes no
 * operator, so it is left out of the comparison (and reported apart).
 */
export const withoutTargetColumns = (plan: string): string => plan.replace(/, targetColumns=\[(?:\[\d+\],?)*\]/g, '');

/** The lines in which two plans differ (empty when the plans are the same), for the report. */
export function planDifferences(a: string, b: string): string[] {
  const left = a.split('\n');
  const right = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] !== right[i]) out.push(`- ${left[i] ?? ''}`, `+ ${right[i] ?? ''}`);
  }
  return out;
}
