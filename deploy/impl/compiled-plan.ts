/**
 * Compiled plans (Flink's JSON, not pipec's plan.json). Flink numbers ExecNodes from a counter that lives as
 * long as the JVM, and a SQL Gateway is a long-lived JVM: the same SQL compiled twice there gets node ids 1–5
 * and then 6–10, so operator uids (`<id>_<transformation>`) differ and a savepoint cannot be mapped onto the
 * second plan. The deployer therefore renumbers every compiled plan from 1 in node order before running it,
 * which makes the uids a function of the plan's topology only. Pure.
 */
interface CompiledPlanJson {
  nodes: { id: number }[];
  edges: { source: number; target: number }[];
}

export function renumberPlanNodes(text: string): string {
  const plan = JSON.parse(text) as CompiledPlanJson;
  if (!Array.isArray(plan.nodes) || !Array.isArray(plan.edges)) throw new Error('not a Flink compiled plan: no nodes and edges');
  const ids = new Map<number, number>();
  plan.nodes.forEach((n, i) => ids.set(n.id, i + 1));
  const map = (id: number): number => {
    const to = ids.get(id);
    if (to === undefined) throw new Error(`compiled plan has an edge to node ${id}, which it does not list`);
    return to;
  };
  for (const n of plan.nodes) n.id = map(n.id);
  for (const e of plan.edges) {
    e.source = map(e.source);
    e.target = map(e.target);
  }
  return JSON.stringify(plan, null, 2);
}
