/**
 * kafkajs 2.2 (its latest release) arms its request queue's timer with `throttledUntil - Date.now()`, and
 * `throttledUntil` is -1 until a broker throttles the client: a delay of minus the clock on about every request.
 * Node clamps it to 1 ms and prints "TimeoutNegativeWarning: -1796201495154 is a negative number", which nobody
 * can act on. Whatever creates a kafkajs client calls this (once is enough, more is harmless).
 */
/** Marks the filter installed, so a second call does not wrap it again. */
const MUTED = Symbol.for('pipec.kafkajsTimerWarningMuted');

/** A delay this far below zero is minus a clock (more than 30 years), which only that timer asks for. */
const MINUS_A_CLOCK = -1e12;

/** Whether a warning is that one: a TimeoutNegativeWarning of minus the clock. Another negative delay still warns. */
export function isKafkajsTimerWarning(warning: unknown, type: unknown): boolean {
  const message = warning instanceof Error ? warning.message : String(warning);
  const name = warning instanceof Error ? warning.name : typeof type === 'object' && type !== null ? (type as { type?: unknown }).type : type;
  const delay = /^(-\d+(?:\.\d+)?) is a negative number/.exec(message)?.[1];
  return name === 'TimeoutNegativeWarning' && delay !== undefined && Number(delay) <= MINUS_A_CLOCK;
}

export function muteKafkajsTimerWarning(): void {
  if ((process.emitWarning as { [MUTED]?: true })[MUTED]) return;
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  const muted = (...args: unknown[]): void => {
    if (!isKafkajsTimerWarning(args[0], args[1])) emit(...args);
  };
  process.emitWarning = Object.assign(muted, { [MUTED]: true as const }) as typeof process.emitWarning;
}
