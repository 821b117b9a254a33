/** Flink SQL type names in CAST, with Flink's defaults (docs dev/table/types.md, FlinkTypeSystem). */
import { describe, expect, it } from 'vitest';
import { formatType } from '../../../compiler/types/types.ts';
import { parseTypeName, type TypeNameInput } from '../../../compiler/types/parse-type.ts';

const ref = (name: string, params: number[] = [], more: Partial<TypeNameInput> = {}): TypeNameInput => ({ name, params, elements: [], fieldNames: [], notNull: false, ...more });
const parsed = (input: TypeNameInput): string => {
  const result = parseTypeName(input);
  return result.ok ? formatType(result.type) : `error: ${result.problem}`;
};

describe('parseTypeName', () => {
  const rows: [TypeNameInput, string, string][] = [
    [ref('INT'), 'INT', 'INT'],
    [ref('integer'), 'INT', 'INTEGER is a synonym; names are case-insensitive'],
    [ref('TINYINT'), 'TINYINT', ''],
    [ref('SMALLINT'), 'SMALLINT', ''],
    [ref('BIGINT'), 'BIGINT', ''],
    [ref('FLOAT'), 'FLOAT', "Flink's FLOAT is 4-byte"],
    [ref('REAL'), 'FLOAT', 'REAL is FLOAT in Flink'],
    [ref('DOUBLE'), 'DOUBLE', ''],
    [ref('BOOLEAN'), 'BOOLEAN', ''],
    [ref('DECIMAL'), 'DECIMAL(10, 0)', 'default precision 10, scale 0'],
    [ref('DECIMAL', [5]), 'DECIMAL(5, 0)', 'default scale 0'],
    [ref('NUMERIC', [12, 3]), 'DECIMAL(12, 3)', 'NUMERIC is DECIMAL'],
    [ref('DEC', [38, 38]), 'DECIMAL(38, 38)', 'DEC is DECIMAL; scale may equal precision'],
    [ref('STRING'), 'STRING', 'STRING is VARCHAR(2147483647)'],
    [ref('VARCHAR'), 'STRING', "FlinkTypeSystem's default VARCHAR length is unbounded"],
    [ref('VARCHAR', [10]), 'VARCHAR(10)', ''],
    [ref('VARCHAR', [2147483647]), 'STRING', 'the maximum length is STRING'],
    [ref('CHAR'), 'CHAR(1)', 'CHAR defaults to length 1'],
    [ref('CHAR', [3]), 'CHAR(3)', ''],
    [ref('BYTES'), 'BYTES', ''],
    [ref('BINARY'), 'BINARY(1)', 'BINARY defaults to length 1'],
    [ref('VARBINARY', [16]), 'VARBINARY(16)', ''],
    [ref('DATE'), 'DATE', ''],
    [ref('TIME'), 'TIME(0)', 'TIME defaults to precision 0'],
    [ref('TIMESTAMP'), 'TIMESTAMP(6)', 'TIMESTAMP defaults to precision 6'],
    [ref('TIMESTAMP', [3]), 'TIMESTAMP(3)', ''],
    [ref('TIMESTAMP_LTZ'), 'TIMESTAMP_LTZ(6)', 'TIMESTAMP_LTZ defaults to precision 6'],
    [ref('TIMESTAMP_LTZ', [9]), 'TIMESTAMP_LTZ(9)', ''],
    [ref('INT', [], { notNull: true }), 'INT NOT NULL', 'NOT NULL'],
    [ref('ARRAY', [], { elements: [ref('INT', [], { notNull: true })] }), 'ARRAY<INT NOT NULL>', 'element nullability'],
    [ref('MULTISET', [], { elements: [ref('STRING')] }), 'MULTISET<STRING>', ''],
    [ref('MAP', [], { elements: [ref('STRING'), ref('DECIMAL', [10, 2])] }), 'MAP<STRING, DECIMAL(10, 2)>', ''],
    [ref('ROW', [], { fieldNames: ['id', 'name'], elements: [ref('BIGINT', [], { notNull: true }), ref('STRING')] }), 'ROW<`id` BIGINT NOT NULL, `name` STRING>', ''],
    [ref('DECIMAL', [39]), 'error: DECIMAL precision must be between 1 and 38, found 39', 'precision range'],
    [ref('DECIMAL', [0]), 'error: DECIMAL precision must be between 1 and 38, found 0', 'precision range'],
    [ref('DECIMAL', [5, 6]), 'error: DECIMAL scale must be between 0 and the precision (5), found 6', 'scale range'],
    [ref('DECIMAL', [5, 2, 1]), 'error: DECIMAL takes a precision and a scale, found 3 parameters', 'arity'],
    [ref('VARCHAR', [0]), 'error: VARCHAR length must be between 1 and 2147483647, found 0', 'length range'],
    [ref('TIMESTAMP', [10]), 'error: TIMESTAMP precision must be between 0 and 9, found 10', 'precision range'],
    [ref('TIME', [3]), 'error: TIME supports only precision 0 in Flink, found 3', 'planner limit'],
    [ref('INT', [5]), 'error: INT takes no parameters', 'no parameters'],
    [ref('STRING', [5]), 'error: STRING takes no parameters', 'no parameters'],
    [ref('VARCHAR', [2.5]), 'error: VARCHAR takes whole-number parameters, found 2.5', 'integers only'],
    [ref('ARRAY'), 'error: ARRAY takes one element type, as in ARRAY<STRING>', 'element required'],
    [ref('MAP', [], { elements: [ref('STRING')] }), 'error: MAP takes a key type and a value type, as in MAP<STRING, INT>', 'two elements'],
    [ref('ARRAY', [], { elements: [ref('DECIMAL', [40])] }), 'error: in the ARRAY element: DECIMAL precision must be between 1 and 38, found 40', 'nested errors say where'],
    [ref('ROW', [], { fieldNames: ['a', 'A'], elements: [ref('INT'), ref('INT')] }), 'error: ROW field names must be unique, `A` appears twice', 'pipec names are case-insensitive'],
    [ref('INTERVAL'), 'error: interval types cannot be written in a cast; use an interval literal such as `interval 5 minute`', 'multi-word type'],
  ];
  it.each(rows.map(([input, expected, why]) => ({ name: input.name, params: input.params.join(', '), expected, why, input })))(
    '$name($params) → $expected',
    ({ input, expected }) => expect(parsed(input)).toBe(expected),
  );

  it('suggests Flink names for misspellings and foreign names', () => {
    const typo = parseTypeName(ref('STRNG'));
    expect(typo.ok).toBe(false);
    expect(!typo.ok && typo.candidates).toContain('STRING');
    const bool = parseTypeName(ref('bool'));
    expect(!bool.ok && bool.problem).toBe('`bool` is not a Flink SQL type');
    expect(!bool.ok && bool.candidates).toEqual(['BOOLEAN']);
    const datetime = parseTypeName(ref('DATETIME'));
    expect(!datetime.ok && datetime.candidates).toEqual(['TIMESTAMP']);
  });

  it("accepts the AST's TypeRef as it is (number literals and identifiers)", () => {
    const num = (value: number) => ({ kind: 'NumberLit' as const, text: String(value), value, isInteger: true });
    const astRef = {
      kind: 'TypeRef', name: 'ROW', params: [], notNull: true,
      fieldNames: [{ kind: 'Ident', name: 'amount', quoted: false }],
      elements: [{ kind: 'TypeRef', name: 'DECIMAL', params: [num(12), num(2)], elements: [], fieldNames: [], notNull: false }],
    };
    expect(parsed(astRef)).toBe('ROW<`amount` DECIMAL(12, 2)> NOT NULL');
  });
});
