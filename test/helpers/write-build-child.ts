/**
 * A process that writes a build and kills itself (SIGKILL: no cleanup of any kind runs) right after step N of
 * the write. Arguments: <out folder> <artifacts JSON file> <N>; N = 0 never kills.
 */
import { readFileSync } from 'node:fs';
import { writeBuild } from '../../compiler/driver/write-build.ts';
import type { Artifact } from '../../targets/emit.ts';

const [out, artifactsFile, killAfter] = process.argv.slice(2);
const artifacts = JSON.parse(readFileSync(artifactsFile ?? '', 'utf8')) as Artifact[];
let steps = 0;
const result = await writeBuild(out ?? '', artifacts, {
  afterStep: (step) => {
    steps += 1;
    process.stdout.write(`${step}\n`);
    if (steps === Number(killAfter)) process.kill(process.pid, 'SIGKILL');
  },
});
process.exitCode = result.ok ? 0 : 2;
