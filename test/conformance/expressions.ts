/**
 * Well-typed `.pipe` expressions over typed columns: arithmetic, comparisons, CASE, CAST / TRY_CAST, field
 * and element access, and calls of every stdlib function and overload whose parameters the columns can fill.
 * A call is kept only when pipec's own resolver types it for the targeted Flink line; the planner then judges.
 */
import { ERROR_TYPE, formatType, t, type SqlType } from '../../compiler/types/types.ts';
import { STD, firstLine, resolveCall } from '../../stdlib/functions.ts';
import { lineAtLeast, type FlinkLine } from '../../stdlib/flink-lines.ts';
import { inFamily, matchSignature, type Param, type Signature, type TypeFamily } from '../../stdlib/signature.ts';
import type { Random } from './random.ts';

export interface Col {
  /** How the column is written in the query (qualified and quoted as needed). */
  readonly ref: string;
  readonly type: SqlType;
}

export interface Expr {
  readonly text: string;
  readonly type: SqlType | undefined;
  /** Constructs it exercises, for the coverage report (`call:round#1`, `case`, `cast`…). */
  readonly features: readonly string[];
}

const RESERVED = new Set([
  'all', 'and', 'as', 'between', 'by', 'case', 'cast', 'cross', 'distinct', 'else', 'end', 'false', 'for', 'from', 'group', 'having', 'import',
  'in', 'inner', 'interval', 'into', 'is', 'join', 'left', 'like', 'not', 'null', 'on', 'or', 'order', 'outer', 'pipeline', 'select', 'sink',
  'source', 'stream', 'then', 'true', 'try_cast', 'union', 'unnest', 'when', 'where', 'window', 'with',
]);

/** A name as `.pipe` must write it: back-quoted when reserved (soft keywords stay plain). */
export function quote(name: string): string {
  return RESERVED.has(name.toLowerCase()) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `\`${name.replaceAll('`', '``')}\`` : name;
}

export const isNumeric = (t: SqlType): boolean => inFamily(t, 'numeric');
export const isString = (t: SqlType): boolean => inFamily(t, 'string');

/** A column fits a parameter as pipec's own overload table says (NULL is never a column's type). */
const fits = (family: TypeFamily, t: SqlType): boolean => t.kind !== 'NULL' && inFamily(t, family);

/** Literals for a family, typed as pipec types them (only used to fill a call's parameters). */
function literalFor(family: TypeFamily, r: Random): string | undefined {
  switch (family) {
    case 'numeric': case 'exact-numeric': case 'orderable': return r.pick(['2', '3', '10']);
    case 'integer': case 'int': case 'int-or-smaller': return r.pick(['1', '2', '3']);
    case 'string': return r.pick(["'a'", "'x,y'", "'%'", "'2026-01-01 00:00:00'"]);
    case 'boolean': return r.pick(['true', 'false']);
    case 'date': return "date '2026-01-01'";
    case 'time': return "time '12:34:56'";
    case 'time-or-timestamp': return r.pick(["time '12:34:56'", "timestamp '2026-01-01 00:00:00'"]);
    case 'timestamp': case 'temporal': case 'date-or-timestamp': case 'date-or-local-timestamp': return "timestamp '2026-01-01 00:00:00'";
    case 'timestamp-ltz': return 'to_timestamp_ltz(0, 3)';
    default: return undefined;
  }
}

interface Arg {
  readonly text: string;
  readonly type: SqlType | undefined;
  readonly literal: number | string | undefined;
}

/** Fills one parameter: a fitting column, or a literal, or a unit word; undefined when nothing fits. */
function argumentFor(param: Param, previous: readonly Arg[], columns: readonly Col[], r: Random): Arg | undefined {
  const type = param.type;
  if (param.literal) {
    const stringLiteral = param.name === 'path' ? '$.a' : 'yyyy-MM-dd';
    const value = param.literal.oneOf ? r.pick(param.literal.oneOf) : type.kind === 'family' && type.family === 'string' ? stringLiteral : r.pick([0, 1, 2, 3]);
    return typeof value === 'number' ? { text: String(value), type: undefined, literal: value } : { text: `'${value.replaceAll("'", "''")}'`, type: undefined, literal: value };
  }
  switch (type.kind) {
    case 'time-unit': {
      const unit = r.pick(type.units);
      return { text: unit.toLowerCase(), type: undefined, literal: unit.toLowerCase() };
    }
    case 'time-attribute': {
      // current_watermark: an event-time column (the caller marks which columns are time attributes).
      const rowtimes = columns.filter((c) => (c.type.kind === 'TIMESTAMP' || c.type.kind === 'TIMESTAMP_LTZ') && c.type.timeAttribute === 'rowtime');
      const column = rowtimes.length > 0 ? r.pick(rowtimes) : undefined;
      return column ? { text: column.ref, type: column.type, literal: undefined } : undefined;
    }
    case 'duration': return undefined;
    case 'common-with': case 'comparable-with': case 'element-of': {
      const other = previous[type.param];
      if (!other) return undefined;
      if (type.kind === 'element-of') {
        const element = other.type?.kind === 'ARRAY' ? other.type.element : undefined;
        const column = element ? columns.find((c) => formatType(c.type).replace(' NOT NULL', '') === formatType(element).replace(' NOT NULL', '')) : undefined;
        return column ? { text: column.ref, type: column.type, literal: undefined } : undefined;
      }
      const same = columns.filter((c) => other.type && c.type.kind === other.type.kind);
      const column = same.length > 0 ? r.pick(same) : undefined;
      return column ? { text: column.ref, type: column.type, literal: undefined } : { ...other };
    }
    case 'family': {
      const candidates = columns.filter((c) => fits(type.family, c.type));
      if (candidates.length > 0 && r.chance(0.8)) {
        const column = r.pick(candidates);
        return { text: column.ref, type: column.type, literal: undefined };
      }
      const literal = literalFor(type.family, r);
      if (literal === undefined) return undefined;
      const numeric = /^\d+$/.test(literal) ? Number(literal) : undefined;
      const str = literal.startsWith("'") ? literal.slice(1, -1) : undefined;
      return { text: literal, type: undefined, literal: numeric ?? str };
    }
  }
}

/** Every (function, overload) of the stdlib, scalar or aggregate, with the name `.pipe` calls it by and the first Flink line that has it. */
export const OVERLOADS: readonly { readonly name: string; readonly index: number; readonly signature: Signature; readonly aggregate: boolean; readonly since: FlinkLine }[] = Object.entries(STD).flatMap(([name, fn]) =>
  fn.kind === 'window-table' ? [] : fn.overloads.map((signature, index) => ({ name, index, signature, aggregate: fn.kind === 'aggregate', since: firstLine(fn, signature) })));

/** Which overload of a pool (scalar or aggregate) the next call of a program calls, `make` making the call. */
export interface Calls {
  next<T>(pool: readonly T[], r: Random, make: (overload: T) => Expr | undefined): Expr | undefined;
}

/** Each call of a random overload (a program generated on its own). */
export const randomCalls: Calls = { next: (pool, r, make) => make(r.pick(pool)) };

/**
 * The calls of a run of programs, in turn: each call takes the first overload of its pool, in order, that the
 * run has not called yet and the columns at hand can fill (an overload of a rare column type waits for one),
 * and the list starts over once all are called, so a few hundred programs call every overload (random picks
 * left some of 150 out of thousands). Deterministic: the same programs in the same order make the same calls.
 */
export class CallsInTurn implements Calls {
  private readonly waiting = new Map<readonly unknown[], unknown[]>();

  next<T>(pool: readonly T[], r: Random, make: (overload: T) => Expr | undefined): Expr | undefined {
    let waiting = this.waiting.get(pool) as T[] | undefined;
    if (!waiting || waiting.length === 0) {
      waiting = [...pool];
      this.waiting.set(pool, waiting);
    }
    for (let i = 0; i < waiting.length; i++) {
      const call = make(waiting[i] as T);
      if (call) {
        waiting.splice(i, 1);
        return call;
      }
    }
    return make(r.pick(pool));
  }
}

/**
 * A call of one overload with arguments from the columns, when pipec types it on this Flink line (and it is
 * that overload that matched). Types of literal arguments are left to the resolver through a probe binding.
 */
export function callOf(overload: (typeof OVERLOADS)[number], columns: readonly Col[], version: FlinkLine, r: Random): Expr | undefined {
  const params = overload.signature.params;
  const required = params.filter((p) => p.optional !== true && p.variadic !== true);
  const optional = params.filter((p) => p.optional === true || p.variadic === true);
  const chosen = [...required, ...optional.slice(0, r.int(0, optional.length))];
  const args: Arg[] = [];
  for (const param of chosen) {
    const arg = argumentFor(param, args, columns, r);
    if (!arg) return undefined;
    args.push(arg);
  }
  const argTypes = args.map((a) => a.type ?? literalType(a.text));
  const literals = args.map((a) => a.literal);
  const resolved = resolveCall(overload.name, argTypes, { distinct: false, star: false, literalArgs: literals, version });
  if (!resolved.ok) return undefined;
  // The overload that typed the call (the resolver takes the first that fits).
  const context = { args: argTypes, literals, global: false };
  const index = resolved.fn.overloads.findIndex((o) => lineAtLeast(version, firstLine(resolved.fn, o)) && matchSignature(o, context).ok);
  return { text: `${overload.name}(${args.map((a) => a.text).join(', ')})`, type: resolved.type, features: [`call:${overload.name}#${index}`] };
}

/** A literal argument's type, as the binder types it. */
function literalType(text: string): SqlType {
  if (/^\d+$/.test(text)) return t.int(false);
  if (text === 'true' || text === 'false') return t.boolean(false);
  if (text.startsWith('date ')) return { kind: 'DATE', nullable: false };
  if (text.startsWith('timestamp ')) return t.timestamp(0, false);
  if (text.startsWith('time ')) return t.time(0, false);
  if (text.startsWith('to_timestamp_ltz(')) return t.timestampLtz(3, false);
  if (text.startsWith("'")) return { kind: 'CHAR', length: Math.max(1, text.length - 2), nullable: false };
  // Time-unit words: the resolver reads them from the literal texts.
  return ERROR_TYPE;
}
