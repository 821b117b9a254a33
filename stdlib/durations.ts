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

/** A duration in its largest whole unit, as `.pipe` writes it: 90000 → `90 s`, 3600000 → `1 h`. */
export function formatDuration(millis: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000]] as const) {
    if (millis !== 0 && millis % size === 0) return `${millis / size} ${unit}`;
  }
  return `${millis} ms`;
}
