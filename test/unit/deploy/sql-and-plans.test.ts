/** The deployer's pure helpers: splitting generated SQL scripts, renumbering compiled plans, loading the runtime jar. */
import { describe, expect, test } from 'vitest';
import { splitStatements } from '../../../deploy/impl/sql-script.ts';
import { renumberPlanNodes } from '../../../deploy/impl/compiled-plan.ts';
import { jobNameOf } from '../../../deploy/impl/job.ts';
import { runtimeJarStatements, usesRuntime } from '../../../deploy/impl/runtime-jar.ts';

describe('splitStatements', () => {
  test('splits on semicolons outside strings, identifiers and comments; keeps a statement set whole', () => {
    const script = `-- header; not a statement
SET 'a' = 'x;y';
CREATE TEMPORARY TABLE \`t;1\` (c STRING) WITH ('k' = 'it''s; fine');
/* block; comment */
COMPILE PLAN '/p.json' FOR STATEMENT SET
BEGIN
  INSERT INTO a SELECT 1;
  INSERT INTO b SELECT 2;
END;
`;
    expect(splitStatements(script)).toEqual([
      "SET 'a' = 'x;y'",
      "CREATE TEMPORARY TABLE `t;1` (c STRING) WITH ('k' = 'it''s; fine')",
      "COMPILE PLAN '/p.json' FOR STATEMENT SET\nBEGIN\n  INSERT INTO a SELECT 1;\n  INSERT INTO b SELECT 2;\nEND",
    ]);
  });
});

describe('renumberPlanNodes', () => {
  /** A plan as the gateway compiles it: nodes numbered from `from`, listed sink by sink in `sinks` order. */
  function plan(from: number, sinks: readonly ('totals' | 'counts' | 'copied' | 'big')[]) {
    const nodes: { id: number; type: string; scanTableSource?: { table: { identifier: string } }; dynamicTableSink?: { table: { identifier: string } } }[] = [];
    const edges: { source: number; target: number }[] = [];
    let next = from;
    const add = (type: string, input: number | undefined, extra: object = {}): number => {
      const id = next++;
      nodes.push({ id, type, ...extra });
      if (input !== undefined) edges.push({ source: input, target: id });
      return id;
    };
    const sink = (table: string, input: number) => add('stream-exec-sink_1', input, { dynamicTableSink: { table: { identifier: table } } });
    const scan = add('stream-exec-table-source-scan_1', undefined, { scanTableSource: { table: { identifier: 'events' } } });
    for (const s of sinks) {
      // `counts` looks like `totals`: another group aggregate of the same shape over the same source.
      if (s === 'totals' || s === 'counts') sink(s, add('stream-exec-group-aggregate_1', add('stream-exec-exchange_1', add('stream-exec-calc_1', scan))));
      if (s === 'copied') sink('copied', scan);
      if (s === 'big') sink('big', add('stream-exec-calc_1', scan));
    }
    return { flinkVersion: '1.20', nodes, edges };
  }
  type Plan = ReturnType<typeof plan>;
  const renumber = (p: Plan, deployed?: Plan) => JSON.parse(renumberPlanNodes(JSON.stringify(p), deployed && JSON.stringify(deployed))) as Plan;
  /** Node ids by a name that says what the node is: its type and the one sink it leads to (`shared` if more). */
  const idsByName = (p: Plan) => {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const sinksOf = (id: number): string[] => {
      const n = byId.get(id);
      if (n?.dynamicTableSink) return [n.dynamicTableSink.table.identifier];
      return p.edges.filter((e) => e.source === id).flatMap((e) => sinksOf(e.target));
    };
    return Object.fromEntries(p.nodes.map((n) => [`${n.type}→${sinksOf(n.id).length === 1 ? sinksOf(n.id)[0] : 'shared'}`, n.id]));
  };

  test('the same plan compiled after others (a higher counter) gets the same ids', () => {
    const a = renumber(plan(1, ['totals', 'copied']));
    const b = renumber(plan(57, ['totals', 'copied']));
    expect(b.nodes.map((n) => n.id)).toEqual(a.nodes.map((n) => n.id));
    expect(b.edges).toEqual(a.edges);
    expect(new Set(a.nodes.map((n) => n.id)).size).toBe(a.nodes.length);
  });

  test('a sink added before the others leaves every deployed node its id, the aggregate included', () => {
    const deployed = renumber(plan(1, ['totals', 'copied']));
    const before = idsByName(deployed);
    const after = idsByName(renumber(plan(1, ['big', 'totals', 'copied']), deployed));
    expect(Object.keys(before)).toContain('stream-exec-group-aggregate_1→totals');
    for (const [name, id] of Object.entries(before)) expect(after[name], name).toBe(id);
  });

  test('a look-alike aggregate added (same shape, same source) leaves the deployed aggregate and its inputs their ids', () => {
    const deployed = renumber(plan(1, ['totals', 'copied']));
    const before = idsByName(deployed);
    for (const order of [['counts', 'totals', 'copied'], ['totals', 'copied', 'counts']] as const) {
      const next = renumber(plan(40, order), deployed);
      const after = idsByName(next);
      for (const [name, id] of Object.entries(before)) expect(after[name], `${name} with ${order.join(', ')}`).toBe(id);
      expect(new Set(next.nodes.map((n) => n.id)).size).toBe(next.nodes.length);
      expect(after['stream-exec-group-aggregate_1→counts']).not.toBe(after['stream-exec-group-aggregate_1→totals']);
    }
  });

  test('a projection added in front of a sink leaves the sink and the aggregate their ids', () => {
    const deployed = renumber(plan(1, ['totals', 'copied']));
    const next = plan(1, ['totals', 'copied']);
    const sink = next.nodes.find((n) => n.dynamicTableSink?.table.identifier === 'totals');
    const edge = next.edges.find((e) => e.target === sink?.id);
    if (!sink || !edge) throw new Error('no totals sink');
    next.nodes.push({ id: 99, type: 'stream-exec-calc_1' });
    next.edges.push({ source: edge.source, target: 99 }, { source: 99, target: sink.id });
    next.edges.splice(next.edges.indexOf(edge), 1);
    const before = idsByName(deployed);
    const after = idsByName(renumber(next, deployed));
    for (const name of ['stream-exec-sink_1→totals', 'stream-exec-group-aggregate_1→totals', 'stream-exec-sink_1→copied']) expect(after[name], name).toBe(before[name]);
  });

  test('a look-alike removed leaves the remaining one its id', () => {
    const deployed = renumber(plan(1, ['counts', 'totals']));
    const after = idsByName(renumber(plan(1, ['totals']), deployed));
    expect(after['stream-exec-group-aggregate_1→totals']).toBe(idsByName(deployed)['stream-exec-group-aggregate_1→totals']);
  });

  test('look-alike siblings get distinct ids, told apart by the sinks they feed', () => {
    const p = renumber(plan(1, ['totals', 'big']));
    const calcs = p.nodes.filter((n) => n.type === 'stream-exec-calc_1').map((n) => n.id);
    expect(calcs.length).toBe(2);
    expect(new Set(calcs).size).toBe(2);
    expect(p.nodes.every((n) => n.id > 0 && n.id <= 0x7fffffff)).toBe(true);
  });

  test('an edge to an unknown node is an error', () => {
    expect(() => renumberPlanNodes(JSON.stringify({ nodes: [{ id: 1 }], edges: [{ source: 1, target: 5 }] }))).toThrow(/node 5/);
  });
});

describe('jobNameOf', () => {
  test('reads the job name the script sets, quotes unescaped', () => {
    expect(jobNameOf("-- header\nSET 'parallelism.default' = '1';\nSET 'pipeline.name' = 'lendwell.default.it''s';\nCREATE TABLE …")).toBe("lendwell.default.it's");
  });

  test('a script without one has no name', () => {
    expect(jobNameOf("SET 'parallelism.default' = '1';")).toBeUndefined();
  });
});

describe('runtimeJarStatements', () => {
  const guarded = "CREATE TEMPORARY TABLE `o` (`id` BIGINT) WITH ('value.format' = 'pipec-guard', 'value.pipec-guard.format' = 'json')";
  const raising = "CREATE TEMPORARY SYSTEM FUNCTION `PIPEC_RAISE_ERROR` AS 'dev.pipec.flink.RaiseError' LANGUAGE JAVA";
  const plain = "CREATE TEMPORARY TABLE `o` (`id` BIGINT) WITH ('value.format' = 'json')";

  test('loads the jar for SQL that uses the runtime, quoting its location', () => {
    expect(runtimeJarStatements(guarded, '/opt/pipec/runtime.jar')).toEqual(["ADD JAR '/opt/pipec/runtime.jar'"]);
    expect(runtimeJarStatements(raising, "s3://b/it's.jar")).toEqual(["ADD JAR 's3://b/it''s.jar'"]);
  });

  test('adds nothing for SQL without the runtime, or without a configured location (the jar is in lib/)', () => {
    expect(runtimeJarStatements(plain, '/opt/pipec/runtime.jar')).toEqual([]);
    expect(runtimeJarStatements(guarded, undefined)).toEqual([]);
    expect(usesRuntime("SELECT 'pipec-guard-ish' AS x")).toBe(false);
  });
});
