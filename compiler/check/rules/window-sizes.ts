/**
 * Window sizes Flink can run: every size positive, a hopping window's size a whole multiple of its slide, a
 * cumulative window's max size a whole multiple of its step (Flink's planner refuses the others: "HOP table
 * function based aggregate requires size must be an integral multiple of slide").
 *   select window_start, count(*) as n from payments window hopping(event_time, 1 h, 7 min) group by window_start
 * Code: window-sizes.
 */
import { formatDuration } from '../../../stdlib/durations.ts';
import { eachQuery, type Rule } from '../rule.ts';

export const windowSizesRule: Rule = {
  name: 'window-sizes',
  check(program, r) {
    eachQuery(program, (q) => {
      if (q.kind !== 'select') return;
      for (const input of q.inputs) {
        const w = input.window;
        if (!w) continue;
        const zero = w.durations.find((d) => d <= 0);
        if (zero !== undefined) {
          r.report('window-sizes', { window: w.function, problem: `its sizes must be positive, not ${formatDuration(zero)}`, hint: undefined }, w.span);
          continue;
        }
        const [first = 0, second = 0] = w.durations;
        if (w.function === 'hopping' && first % second !== 0) {
          r.report('window-sizes', {
            window: w.function,
            problem: `its size (${formatDuration(first)}) must be a whole multiple of its slide (${formatDuration(second)})`,
            hint: `use a slide that divides the size, such as \`${formatDuration(divisorBelow(first, second))}\``,
          }, w.span);
        }
        if (w.function === 'cumulative' && second % first !== 0) {
          r.report('window-sizes', {
            window: w.function,
            problem: `its max size (${formatDuration(second)}) must be a whole multiple of its step (${formatDuration(first)})`,
            hint: `use a step that divides the max size, such as \`${formatDuration(divisorBelow(second, first))}\``,
          }, w.span);
        }
      }
    });
  },
};

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
/** Round durations people pick for a slide or step, longest first. */
const ROUND = [24 * H, 12 * H, 6 * H, 4 * H, 3 * H, 2 * H, H, 30 * MIN, 20 * MIN, 15 * MIN, 10 * MIN, 5 * MIN, 2 * MIN, MIN, 30 * S, 20 * S, 15 * S, 10 * S, 5 * S, 2 * S, S];

/** The nearest slide or step not above `near` that divides `size`: a round one when one fits, else any. */
function divisorBelow(size: number, near: number): number {
  const round = ROUND.find((d) => d <= near && size % d === 0);
  if (round !== undefined) return round;
  for (let d = Math.min(near, size); d > 1; d--) if (size % d === 0) return d;
  return 1;
}
