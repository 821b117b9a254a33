/**
 * CPU time a process has used so far (user + system, from /proc/<pid>/stat on Linux). The job benchmark
 * measures the Flink JVM's CPU time per run: on a shared, busy machine wall-clock time swings with other
 * work, while the CPU time the jobs themselves burn stays close to their real cost.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

export function processCpuSeconds(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, i.e. 11 and 12 after the state field (field 3).
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
