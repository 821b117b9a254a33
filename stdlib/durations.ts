/** Duration units accepted in settings, watermarks, windows and retention (`30 s`, `5 min`, `7 d`). */
export const DURATION_UNITS = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
} as const satisfies Record<string, number>;

export type DurationUnit = keyof typeof DURATION_UNITS;

export function isDurationUnit(word: string): word is DurationUnit {
  return Object.hasOwn(DURATION_UNITS, word);
}

const DAY_MILLIS = 86_400_000;

/** Longest duration anywhere (a topic's retention, a state TTL): 100 years, far inside a 64-bit millisecond count. */
export const MAX_DURATION_MILLIS = 36_500 * DAY_MILLIS;

/**
 * Longest duration Flink SQL takes as an interval (watermark delays, window sizes): it plans day-time intervals
 * with at most 3 day digits (`INTERVAL '999 23:59:59.999' DAY(3) TO SECOND(3)`; DAY(4) and up fail in planning).
 */
export const MAX_INTERVAL_MILLIS = 1000 * DAY_MILLIS - 1;

/** Flink refuses a checkpoint interval under 10 ms. */
export const MIN_CHECKPOINT_MILLIS = 10;

/**
 * `amount` (a number literal's text: `30`, `1.5`, `2e3`) times a unit, exactly: decimal digits are scaled as
 * integers, so `1.1 s` is 1100 ms, not 1100.0000000000002. `undefined` when the result is not a whole number
 * of milliseconds (`0.5 ms`); `Infinity` past any safe integer.
 */
export function durationMillis(amount: string, unit: DurationUnit): number | undefined {
  const match = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(amount);
  if (!match) return undefined;
  const [, whole = '', fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText) - fraction.length;
  const digits = BigInt(`${whole}${fraction}` || '0');
  if (digits === 0n) return 0;
  // Past 20 digits of scale either way, the result is either fractional or far out of range.
  if (exponent > 20) return Infinity;
  if (exponent < -40) return undefined;
  const scaled = digits * BigInt(DURATION_UNITS[unit]) * 10n ** BigInt(Math.max(exponent, 0));
  const divisor = 10n ** BigInt(Math.max(-exponent, 0));
  if (scaled % divisor !== 0n) return undefined;
  const millis = scaled / divisor;
  return millis > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(millis);
}
