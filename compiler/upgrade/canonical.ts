/**
 * Canonical forms of plan parts for the upgrade classifier: two parts are the same for state when their
 * canonical texts are equal. Spans (where a statement is written) and absent values never count.
 */
import { stableStringify } from '../schemas/fingerprint.ts';

/** Drops spans and absent values, so a plan read back from plan.json compares equal to one in memory. */
export function stripPlan(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripPlan);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'span' || v === undefined || v === null) continue;
      out[k] = stripPlan(v);
    }
    return out;
  }
  return value;
}

/** The canonical text of a plan part. */
export function canon(value: unknown): string {
  return stableStringify(stripPlan(value));
}
