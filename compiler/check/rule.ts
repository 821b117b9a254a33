/** A check over the bound program: one rule per file (rules/), each with its own tests. */
import type { BoundPipeline, BoundProgram, BoundQuery, BoundSink, BoundStream, ChangelogMode } from '../semantic/bound.ts';
import type { Reporter } from '../semantic/context.ts';

export interface Rule {
  /** The rule's name, as its file is named. */
  readonly name: string;
  check(program: BoundProgram, r: Reporter): void;
}

/** Every distinct stream of the program (a stream imported by several pipelines is visited once). */
export function distinctStreams(program: BoundProgram): BoundStream[] {
  const seen = new Set<BoundStream>();
  for (const p of program.pipelines) for (const s of p.streams) seen.add(s);
  return [...seen];
}

/** Every sink whose input is updating, with that changelog and its pipeline. */
export function eachUpdatingSink(program: BoundProgram, visit: (sink: BoundSink, changelog: ChangelogMode & { kind: 'updating' }, pipeline: BoundPipeline) => void): void {
  for (const pipeline of program.pipelines) {
    for (const sink of pipeline.sinks) {
      const changelog = sink.inputType.changelog;
      if (changelog.kind === 'updating') visit(sink, changelog, pipeline);
    }
  }
}

/** Every query of every distinct stream, subqueries and union inputs included. */
export function eachQuery(program: BoundProgram, visit: (q: BoundQuery) => void): void {
  const walk = (q: BoundQuery): void => {
    visit(q);
    if (q.kind === 'union') q.inputs.forEach(walk);
    if (q.kind === 'select') for (const i of q.inputs) if (i.relation.kind === 'subquery') walk(i.relation.query);
  };
  for (const s of distinctStreams(program)) walk(s.query);
}
