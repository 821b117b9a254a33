/**
 * How many digits the leading field of a Flink SQL interval literal in an expression may have, per unit.
 * Flink's default is 2 (`INTERVAL '100' DAY` is refused); wider needs the precision written (`DAY(3)`), and
 * the planner takes no wider than below (checked with the real planner: `DAY(4)` and `MONTH(3)` are refused,
 * and a sub-day unit with any precision but 2 fails when the plan is compiled).
 */
export type IntervalUnit = 'YEAR' | 'MONTH' | 'DAY' | 'HOUR' | 'MINUTE' | 'SECOND';

export const DEFAULT_INTERVAL_DIGITS = 2;

export const MAX_INTERVAL_DIGITS: Readonly<Record<IntervalUnit, number>> = { YEAR: 4, MONTH: 2, DAY: 3, HOUR: 2, MINUTE: 2, SECOND: 2 };

/** Digits of a one-unit interval's leading field (`'150'`, `'-1.5'`), or undefined when it is not a number. */
export function leadingDigits(value: string): number | undefined {
  const whole = /^\s*[+-]?(\d+)(?:\.\d+)?\s*$/.exec(value)?.[1];
  return whole === undefined ? undefined : Math.max(1, whole.replace(/^0+/, '').length);
}

/** A one-unit interval's value: a whole number; seconds may have up to 3 decimals (Flink's intervals count milliseconds). */
export function isIntervalAmount(value: string, unit: IntervalUnit): boolean {
  return (unit === 'SECOND' ? /^\s*[+-]?\d+(\.\d{1,3})?\s*$/ : /^\s*[+-]?\d+\s*$/).test(value);
}
