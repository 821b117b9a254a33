/**
 * Compiled plans (Flink's JSON, not pipec's plan.json). Flink restores a savepoint onto a new job by operator
 * uid, `<node id>_<transformation>`, and numbers plan nodes from a counter that lives as long as the JVM: the
 * same SQL compiled twice in one SQL Gateway gets nodes 1–5 and then 6–10. Numbering from 1 in node order is not
 * enough either: nodes are listed sink by sink, so a sink added before an existing one shifts every id after it,
 * and the state of an aggregate would no longer map (or, where unclaimed state may be dropped, be lost).
 *
 * The deployer therefore gives every node an id derived from where it sits in the graph: its type, the table it
 * scans or writes, and the same for its inputs, recursively. Siblings that still look alike (two filters on one
 * source) are told apart by the sink tables they feed, then by order. A node keeps its id when unrelated
 * branches are added or removed, and when its own expression changes — whether that change can keep state is
 * the classifier's verdict, made before.
 *
 * Names alone cannot keep an id when a look-alike arrives: a lone aggregate is named by its shape, and once a
 * second aggregate of the same shape is added both are named by the sinks they feed — a new name, a new id, and
 * the savepoint's state no longer maps. So an upgrade renumbers against the deployed plan: each node takes the
 * id of the deployed node of the same shape that fed the same sinks (else the most of them, else the next one
 * left, in order); a node whose inputs changed shape takes the id of the one deployed node left that writes
 * the same table, or is of its kind and fed the same sinks; only nodes with no deployed counterpart get an id
 * from their name. Pure.
 */
import { createHash } from 'node:crypto';

interface PlanNode {
  id: number;
  type?: string;
  scanTableSource?: { table?: { identifier?: string } };
  dynamicTableSink?: { table?: { identifier?: string } };
}

interface CompiledPlanJson {
  nodes: PlanNode[];
  edges: { source: number; target: number }[];
}

/** What a node is by itself: `scan:<table>`, `sink:<table>`, or its type. */
function ownName(node: PlanNode): string {
  if (node.scanTableSource?.table?.identifier) return `scan:${node.scanTableSource.table.identifier}`;
  if (node.dynamicTableSink?.table?.identifier) return `sink:${node.dynamicTableSink.table.identifier}`;
  return node.type ?? '?';
}

/** `scan:<table>` / `sink:<table>` / the node type, each followed by its inputs' shapes. */
function shapes(plan: CompiledPlanJson): Map<number, string> {
  const inputs = new Map<number, number[]>();
  for (const e of plan.edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), e.source]);
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const memo = new Map<number, string>();
  const shape = (id: number, trail: ReadonlySet<number>): string => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    if (!node) throw new Error(`compiled plan has an edge from or to node ${id}, which it does not list`);
    if (trail.has(id)) throw new Error(`compiled plan has a cycle through node ${id}`);
    const own = ownName(node);
    const next = new Set(trail).add(id);
    const s = `${own}(${(inputs.get(id) ?? []).map((i) => shape(i, next)).join(',')})`;
    memo.set(id, s);
    return s;
  };
  for (const n of plan.nodes) shape(n.id, new Set());
  for (const e of plan.edges) shape(e.target, new Set());
  return memo;
}

/** The sink tables each node feeds, sorted. */
function sinksFed(plan: CompiledPlanJson): Map<number, string> {
  const outputs = new Map<number, number[]>();
  for (const e of plan.edges) outputs.set(e.source, [...(outputs.get(e.source) ?? []), e.target]);
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const memo = new Map<number, Set<string>>();
  const fed = (id: number): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const own = byId.get(id)?.dynamicTableSink?.table?.identifier;
    const out = new Set<string>(own ? [own] : []);
    memo.set(id, out);
    for (const o of outputs.get(id) ?? []) for (const s of fed(o)) out.add(s);
    return out;
  };
  return new Map(plan.nodes.map((n) => [n.id, [...fed(n.id)].sort().join(',')]));
}

/** A positive 31-bit id from a node's structural name. */
function idOf(name: string): number {
  return (createHash('sha256').update(name).digest().readUInt32BE(0) & 0x7fffffff) || 1;
}

function parsePlan(text: string): CompiledPlanJson {
  const plan = JSON.parse(text) as CompiledPlanJson;
  if (!Array.isArray(plan.nodes) || !Array.isArray(plan.edges)) throw new Error('not a Flink compiled plan: no nodes and edges');
  return plan;
}

/** Every node's structural name: its shape, then (among look-alikes) the sinks it feeds, then a count. */
function structuralNames(plan: CompiledPlanJson, shape: ReadonlyMap<number, string>, fed: ReadonlyMap<number, string>): Map<number, string> {
  const names = new Map<number, string>();
  const taken = new Map<string, number>();
  for (const n of plan.nodes) {
    const base = shape.get(n.id) ?? '';
    const alike = plan.nodes.filter((m) => shape.get(m.id) === base);
    let name = alike.length > 1 ? `${base}→${fed.get(n.id) ?? ''}` : base;
    const count = taken.get(name) ?? 0;
    taken.set(name, count + 1);
    if (count > 0) name = `${name}#${count}`;
    names.set(n.id, name);
  }
  return names;
}

/** The deployed id each node of the new plan takes over (see the header): by shape, then by the sinks fed. */
function idsFromDeployed(plan: CompiledPlanJson, shape: ReadonlyMap<number, string>, fed: ReadonlyMap<number, string>, deployed: CompiledPlanJson): Map<number, number> {
  const deployedShape = shapes(deployed);
  const deployedFed = sinksFed(deployed);
  const kept = new Map<number, number>();
  const group = <T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> => {
    const out = new Map<string, T[]>();
    for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
    return out;
  };
  const previous = group(deployed.nodes, (n) => deployedShape.get(n.id) ?? '');
  for (const [base, nodes] of group(plan.nodes, (n) => shape.get(n.id) ?? '')) {
    const free = [...(previous.get(base) ?? [])];
    const take = (node: PlanNode, from: PlanNode): void => {
      kept.set(node.id, from.id);
      free.splice(free.indexOf(from), 1);
    };
    const shared = (a: string, b: string): number => {
      const sinks = new Set(a.split(','));
      return b.split(',').filter((x) => x !== '' && sinks.has(x)).length;
    };
    let open = nodes.filter((n) => {
      const same = free.find((d) => deployedFed.get(d.id) === fed.get(n.id));
      if (same) take(n, same);
      return !same;
    });
    open = open.filter((n) => {
      const best = free.map((d) => ({ d, score: shared(fed.get(n.id) ?? '', deployedFed.get(d.id) ?? '') })).filter((x) => x.score > 0).sort((x, y) => y.score - x.score)[0];
      if (best) take(n, best.d);
      return !best;
    });
    for (const n of open) {
      const next = free[0];
      if (next) take(n, next);
    }
  }
  // A node whose inputs changed shape (a projection added before a sink, a filter before an aggregate) is still
  // the node that writes the same table, or the one node of its kind feeding the same sinks: it keeps its id
  // when exactly one deployed node left over is that. Whether its state still fits is the classifier's verdict.
  const taken = new Set(kept.values());
  const identity = (n: PlanNode, f: ReadonlyMap<number, string>): string => `${ownName(n)}|${f.get(n.id) ?? ''}`;
  const left = group(deployed.nodes.filter((d) => !taken.has(d.id)), (d) => identity(d, deployedFed));
  const unmatched = group(plan.nodes.filter((n) => !kept.has(n.id)), (n) => identity(n, fed));
  for (const [key, nodes] of unmatched) {
    const candidates = left.get(key) ?? [];
    const [node] = nodes;
    const [from] = candidates;
    if (nodes.length === 1 && candidates.length === 1 && node && from) kept.set(node.id, from.id);
  }
  return kept;
}

/** A plan's nodes renumbered by structure; `deployed` is the plan the running job was started from, if any. */
export function renumberPlanNodes(text: string, deployed?: string): string {
  const plan = parsePlan(text);
  const shape = shapes(plan);
  const fed = sinksFed(plan);
  const names = structuralNames(plan, shape, fed);
  const ids = deployed === undefined ? new Map<number, number>() : idsFromDeployed(plan, shape, fed, parsePlan(deployed));
  const used = new Map<number, string>();
  for (const [node, id] of ids) used.set(id, names.get(node) ?? '');
  for (const [node, name] of names) {
    if (ids.has(node)) continue;
    const id = idOf(name);
    const clash = used.get(id);
    if (clash !== undefined) throw new Error(`compiled plan nodes "${clash}" and "${name}" hash to the same id ${id}`);
    used.set(id, name);
    ids.set(node, id);
  }
  const map = (id: number): number => {
    const to = ids.get(id);
    if (to === undefined) throw new Error(`compiled plan has an edge from or to node ${id}, which it does not list`);
    return to;
  };
  for (const n of plan.nodes) n.id = map(n.id);
  for (const e of plan.edges) {
    e.source = map(e.source);
    e.target = map(e.target);
  }
  return JSON.stringify(plan, null, 2);
}
