/**
 * kafkajs' request queue asks for a timer of minus the clock; that one warning is muted, every other one prints.
 */
import { createRequire } from 'node:module';
import { expect, test, vi } from 'vitest';
import { isKafkajsTimerWarning, muteKafkajsTimerWarning } from '../../../clients/kafkajs-timer-warning.ts';

test('kafkajs asks for a timer of minus the clock when it schedules a look at its pending requests', () => {
  const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as new (options: object) => { scheduleCheckPendingRequests(): void; throttleCheckTimeoutId: NodeJS.Timeout | null };
  const queue = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1000, enforceRequestTimeout: true, clientId: 'test', broker: 'localhost:1', logger: { debug: () => {} } });
  const timers = vi.spyOn(globalThis, 'setTimeout').mockImplementation((() => undefined) as unknown as typeof setTimeout);
  try {
    queue.scheduleCheckPendingRequests();
    // If a kafkajs release stops doing this, this fails, and the mute can go.
    expect(timers.mock.calls[0]?.[1]).toBeLessThan(-Date.now() + 1000);
  } finally {
    timers.mockRestore();
  }
});

test('which warning is the one of kafkajs', () => {
  expect(isKafkajsTimerWarning('-1796201495154 is a negative number.\nTimeout duration was set to 1.', 'TimeoutNegativeWarning')).toBe(true);
  expect(isKafkajsTimerWarning('-1796201495154 is a negative number.', { type: 'TimeoutNegativeWarning' })).toBe(true);
  expect(isKafkajsTimerWarning('-5 is a negative number.\nTimeout duration was set to 1.', 'TimeoutNegativeWarning')).toBe(false);
  expect(isKafkajsTimerWarning('-1796201495154 is a negative number.', 'DeprecationWarning')).toBe(false);
});

test('muted, that warning does not reach Node; another negative delay, or another warning, does', () => {
  const original = process.emitWarning;
  const reached = vi.fn();
  process.emitWarning = reached as unknown as typeof process.emitWarning;
  try {
    muteKafkajsTimerWarning();
    const installed = process.emitWarning;
    muteKafkajsTimerWarning();
    expect(process.emitWarning).toBe(installed);
    process.emitWarning(`${-1 - Date.now()} is a negative number.\nTimeout duration was set to 1.`, 'TimeoutNegativeWarning');
    process.emitWarning('-5 is a negative number.\nTimeout duration was set to 1.', 'TimeoutNegativeWarning');
    process.emitWarning('gone soon', 'DeprecationWarning');
  } finally {
    process.emitWarning = original;
  }
  expect(reached.mock.calls).toEqual([
    ['-5 is a negative number.\nTimeout duration was set to 1.', 'TimeoutNegativeWarning'],
    ['gone soon', 'DeprecationWarning'],
  ]);
});
