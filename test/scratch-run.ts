import { readFileSync } from 'node:fs';
import { compileFiles, rendered } from './helpers/check.ts';
const text = readFileSync(process.argv[2]!, 'utf8');
const r = compileFiles({ 'p.pipe': text });
console.log(rendered(r));
for (const a of r.output?.artifacts ?? []) if (process.argv.slice(3).some((x) => a.path.endsWith(x))) console.log(`=== ${a.path}\n${a.contents}`);
