/** Short constructors for SQL syntax trees in the printer's tests. */
import type { FromItem, Insert, Select, SelectItem, SqlBinaryOperator, SqlExpr, SqlQuery } from '../../../../targets/flink-sql/sql-ast.ts';

export const col = (name: string, qualifier?: string): SqlExpr => ({ kind: 'column', qualifier, name });
export const num = (text: string): SqlExpr => ({ kind: 'number', text });
export const str = (value: string): SqlExpr => ({ kind: 'string', value });
export const bool = (value: boolean): SqlExpr => ({ kind: 'boolean', value });
export const NULL: SqlExpr = { kind: 'null' };
export const bin = (operator: SqlBinaryOperator, left: SqlExpr, right: SqlExpr): SqlExpr => ({ kind: 'binary', operator, left, right });
export const not = (operand: SqlExpr): SqlExpr => ({ kind: 'unary', operator: 'NOT', operand });
export const neg = (operand: SqlExpr): SqlExpr => ({ kind: 'unary', operator: '-', operand });
export const call = (name: string, ...args: SqlExpr[]): SqlExpr => ({ kind: 'call', name, args, distinct: false, star: false });
export const field = (target: SqlExpr, name: string): SqlExpr => ({ kind: 'field', target, field: name });
export const interval = (value: string, unit: string, toUnit?: string): SqlExpr => ({ kind: 'interval', value, unit, toUnit });
export const isNull = (operand: SqlExpr, negated = false): SqlExpr => ({ kind: 'is-null', operand, negated });

export const item = (expression: SqlExpr, alias?: string): SelectItem => ({ kind: 'expr', expression, alias });
export const table = (name: string, alias?: string): FromItem => ({ kind: 'table', name, alias });

export function select(from: FromItem, items: readonly SelectItem[], more: Partial<Omit<Select, 'kind' | 'from' | 'items'>> = {}): Select {
  return { kind: 'select', distinct: false, items, from, where: undefined, groupBy: [], having: undefined, ...more };
}

export const insert = (tableName: string, query: SqlQuery, columns: readonly string[] = []): Insert => ({ kind: 'insert', table: tableName, columns, query });
