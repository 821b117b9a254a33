/**
 * A pipeline's name is a folder of the build (`<name>/job.sql`), a Flink job name and a part of its connectors'
 * names, so it is kept to characters every file system and every system takes: ASCII letters, digits, `_` and
 * `-`, starting with a letter, a digit or `_`, at most 100 characters. No `.`, `/` or `\`, so a name is never
 * a path (``pipeline `../x`;``) nor a file of the build (``pipeline `manifest.json`;``).
 * Code: invalid-pipeline-name, at the name in the header.
 */
import type { Rule } from '../rule.ts';

export const MAX_PIPELINE_NAME_LENGTH = 100;
const ALLOWED = /^[A-Za-z0-9_-]$/;

/** Why a pipeline name cannot name a folder, or undefined when it is fine. */
export function pipelineNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_PIPELINE_NAME_LENGTH) return `it is ${name.length} characters long, more than ${MAX_PIPELINE_NAME_LENGTH}`;
  const bad = [...name].find((c) => !ALLOWED.test(c));
  if (bad !== undefined) return `it contains ${JSON.stringify(bad)}`;
  if (name.startsWith('-')) return 'it starts with `-`';
  return undefined;
}

export const pipelineNamesRule: Rule = {
  name: 'pipeline-names',
  check(program, r) {
    for (const p of program.pipelines) {
      const problem = pipelineNameProblem(p.name);
      if (problem) r.report('invalid-pipeline-name', { name: p.name.length > 40 ? `${p.name.slice(0, 40)}…` : p.name, problem }, p.nameSpan);
    }
  },
};
