/** What a conformance run checks, from the environment: the seeds and Flink lines (shared by its test files). */
import type { FlinkLine } from '../../stdlib/flink-lines.ts';

export const FIXED_SEED = 20_261_202;
/** `CONFORMANCE_SEED=12345` replays one seed only. */
export const REPLAY_SEED = process.env['CONFORMANCE_SEED'];
/**
 * CI gates on fixed seeds, so a submission fails for what it changed, never for the draw of the day; a fresh seed
 * runs everywhere else (and in the soak script), and any failure it finds prints its seed for a replay.
 */
const freshSeed = (): number => Math.floor(Math.random() * 2 ** 31);
export const SEEDS: readonly number[] = REPLAY_SEED !== undefined ? [Number(REPLAY_SEED)] : process.env['CI'] ? [FIXED_SEED, 300_914_412] : [FIXED_SEED, freshSeed()];

/** `CONFORMANCE_LINES=2.2` runs one Flink line only (two long runs can then go side by side). */
export const LINES: readonly FlinkLine[] = (['1.20', '2.2'] as const).filter((l) => (process.env['CONFORMANCE_LINES'] ?? '1.20,2.2').split(',').includes(l));
