/** The ranges a duration has where it is used: a window size is greater than 0, an interval fits Flink's. */
import type * as A from '../ast/nodes.ts';
import { MAX_INTERVAL_MILLIS } from '../../stdlib/durations.ts';
import type { Reporter } from './context.ts';

export interface DurationUse {
  /** For messages: "a window size", "a watermark delay". */
  readonly what: string;
  /** Zero means nothing there (a window of no time, a retention of none). */
  readonly positive: boolean;
  /** Lowered to a Flink SQL interval, which has at most 3 day digits. */
  readonly interval: boolean;
}

/** Reports a duration out of its use's range, at its span; true when it is in range. */
export function checkDuration(d: A.Duration, use: DurationUse, r: Reporter): boolean {
  const found = `${d.amount} ${d.unit}`;
  if (use.positive && d.millis <= 0) {
    r.report('out-of-range', { what: use.what, found, range: 'greater than 0' }, d.span);
    return false;
  }
  if (use.interval && d.millis > MAX_INTERVAL_MILLIS) {
    r.report('out-of-range', { what: use.what, found, range: 'less than 1000 d', hint: 'Flink SQL intervals have at most 3 digits of days' }, d.span);
    return false;
  }
  return true;
}
