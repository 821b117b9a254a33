/** The deployer's pure helpers: splitting generated SQL scripts, renumbering compiled plans. */
import { describe, expect, test } from 'vitest';
import { splitStatements } from '../../../deploy/impl/sql-script.ts';
import { renumberPlanNodes } from '../../../deploy/impl/compiled-plan.ts';

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
  test('node ids restart at 1 in node order, edges follow', () => {
    const plan = { flinkVersion: '1.20', nodes: [{ id: 6, type: 'scan' }, { id: 7, type: 'calc' }, { id: 9, type: 'sink' }], edges: [{ source: 6, target: 7, shuffle: {} }, { source: 7, target: 9 }] };
    const out = JSON.parse(renumberPlanNodes(JSON.stringify(plan))) as typeof plan;
    expect(out.nodes.map((n) => n.id)).toEqual([1, 2, 3]);
    expect(out.edges.map((e) => [e.source, e.target])).toEqual([[1, 2], [2, 3]]);
    expect(out.flinkVersion).toBe('1.20');
  });

  test('an edge to an unknown node is an error', () => {
    expect(() => renumberPlanNodes(JSON.stringify({ nodes: [{ id: 1 }], edges: [{ source: 1, target: 5 }] }))).toThrow(/node 5/);
  });
});
