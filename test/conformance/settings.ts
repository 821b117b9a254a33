/** What a conformance run checks, from the environment: the seeds and Flink lines (shared by its test files). */
import type { FlinkLine } from '../../stdlib/flink-lines.ts';

export const FIXED_SEED = 20_261_202;
/** `CONFORMANCE_SEED=12345` replays one seed only. */
export const REPLAY_SEED = process.env['CONFORMANCE_SEED'];
/**
 * Every run checks the fixed seed (the same programs on every machine, so a change fails for what it changed) and
 * a fresh one (programs nobody ran before), printed before it runs and in a failure with the command that replays
 * it — CI too.
 */
const freshSeed = (): number => Math.floor(Math.random() * 2 ** 31);
export const FRESH_SEED: number | undefined = REPLAY_SEED === undefined ? freshSeed() : undefined;
export const SEEDS: readonly number[] = FRESH_SEED === undefined ? [Number(REPLAY_SEED)] : [FIXED_SEED, FRESH_SEED];

/** `CONFORMANCE_LINES=2.2` runs one Flink line only (two long runs can then go side by side). */
export const LINES: readonly FlinkLine[] = (['1.20', '2.2'] as const).filter((l) => (process.env['CONFORMANCE_LINES'] ?? '1.20,2.2').split(',').includes(l));
