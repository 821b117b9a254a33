/**
 * A file's AST → a document in the canonical layout: statements separated by a blank line; sources,
 * sinks and the pipeline header one clause per line; a query on one line when it fits, else one line
 * per clause (`select …`, `from …`, `join …`, `where …`, `group by …`, `having …`) and, when the select
 * list does not fit either, one line per item. Every line comments may attach to is an anchor.
 */
import type * as A from '../ast/nodes.ts';
import { spanCovering } from '../source/source.ts';
import { assertNever } from '../util/invariant.ts';
import { anchor, group, hardline, indent, join, line, softline, type Doc } from './doc.ts';
import { conjuncts, duration, expr, isPlainName, name, nameList, relationAlias, string } from './print-expr.ts';

export function printFile(file: A.PipeFile): Doc {
  const header = file.pipeline ? [anchor(file.pipeline.span, pipelineHeader(file.pipeline))] : [];
  const statements = file.statements.map((s) => anchor(s.span, statement(s)));
  return join([hardline, hardline], [...header, ...statements]);
}

function pipelineHeader(h: A.PipelineHeader): Doc {
  const lines: Doc[] = [];
  if (h.owner) lines.push(anchor(h.owner.span, ['owner ', string(h.owner)], 1));
  if (h.description) lines.push(anchor(h.description.span, ['description ', string(h.description)], 1));
  if (h.settings.length > 0) lines.push(settings(h.settings));
  return ['pipeline ', name(h.name), indent(lines.map((l) => [hardline, l])), ';'];
}

function statement(s: A.Statement): Doc {
  switch (s.kind) {
    case 'ImportDecl':
      return ['import ', s.names.map(name).join(', '), ' from ', string(s.from), ';'];
    case 'SourceDecl':
      return ['source ', name(s.name), ' from ', endpoint(s.endpoint), clauses(s.clauses), ';'];
    case 'SinkDecl':
      return ['sink ', name(s.name), ' into ', endpoint(s.endpoint), clauses(s.clauses), ';'];
    case 'StreamDecl':
      // One group for the whole statement: either it all fits on one line, or the query starts on the next.
      // Expectations follow, one per line, below the query.
      return [
        group(['stream ', name(s.name), ' as', indent([line, anchor(s.query.span, query(s.query))])]),
        indent(s.expectations.map((e) => [hardline, anchor(e.span, expectation(e))])),
        ';',
      ];
    default:
      return assertNever(s, 'statement');
  }
}

function expectation(e: A.Expectation): Doc {
  return ['expect ', name(e.name), ': ', expr(e.condition), e.otherwise ? ` else ${disposal(e.otherwise)}` : ''];
}

function disposal(d: A.Disposal): string {
  switch (d.kind) {
    case 'Fail': return 'fail';
    case 'Skip': return 'skip';
    case 'Drop': return 'drop';
    case 'DeadLetter': return `dead letter ${string(d.topic)}`;
    default: return assertNever(d, 'disposal');
  }
}

// ── sources and sinks ─────────────────────────────────────────────────────────────────────────────

function endpoint(e: A.Endpoint): string {
  return `${name(e.system)}${e.objectKind ? ` ${name(e.objectKind)}` : ''} ${string(e.object)}`;
}

function clauses(list: readonly A.Clause[]): Doc {
  return indent(list.map((c) => [hardline, anchor(c.span, clause(c))]));
}

function clause(c: A.Clause): Doc {
  switch (c.kind) {
    case 'FormatClause':
      return `${c.part === 'key' ? 'key ' : ''}format ${name(c.format)}${c.alias ? ` as ${name(c.alias)}` : ''}`;
    case 'KeyColumnsClause':
      return `${c.upsert ? 'upsert ' : ''}key ${nameList(c.columns)}`;
    case 'PrimaryKeyClause':
      return `primary key ${nameList(c.columns)}`;
    case 'SubjectClause':
      return `${c.part === 'key' ? 'key ' : ''}subject ${string(c.subject)}${c.version ? ` version ${c.version.text}` : ''}`;
    case 'EventTimeClause':
      return [
        'event time ',
        name(c.column),
        c.expression ? [' = ', expr(c.expression)] : '',
        c.watermark ? ` watermark ${duration(c.watermark)}` : '',
      ];
    case 'ProcessingTimeClause':
      return `processing time ${name(c.column)}`;
    case 'StartupClause':
      return `startup ${name(c.mode)}${c.value ? ` ${string(c.value)}` : ''}`;
    case 'MetadataClause':
      return `metadata (${c.columns.map((m) => `${name(m.name)}${m.field ? ` from ${name(m.field)}` : ''}`).join(', ')})`;
    case 'ViaClause':
      return `via connection ${name(c.connection)}`;
    case 'PartitionsClause':
      return `partitions ${c.count.text}`;
    case 'ReplicationClause':
      return `replication ${c.factor.text}`;
    case 'RetentionClause':
      return `retention ${duration(c.duration)}`;
    case 'DeliveryClause':
      return `delivery ${name(c.guarantee)}`;
    case 'OnErrorClause':
      return `on error ${disposal(c.disposal)}`;
    case 'OptionsClause':
      return settings(c.options);
    default:
      return assertNever(c, 'clause');
  }
}

/** `with (a = 1, b = 2)`, or one setting per line when that does not fit. */
function settings(list: readonly A.Setting[]): Doc {
  const items = list.map((s) => anchor(s.span, [s.key.kind === 'Ident' ? name(s.key) : string(s.key), ' = ', settingValue(s.value)]));
  return group(['with (', indent([softline, join([',', line], items)]), softline, ')']);
}

function settingValue(v: A.SettingValue): string {
  switch (v.kind) {
    case 'StringLit':
      return string(v);
    case 'NumberLit':
      return v.text;
    case 'Duration':
      return duration(v);
    case 'BooleanLit':
      return v.value ? 'true' : 'false';
    case 'Ident':
      return name(v);
    case 'SecretRef':
      return `secret(${string(v.name)})`;
    default:
      return assertNever(v, 'setting value');
  }
}

// ── queries ───────────────────────────────────────────────────────────────────────────────────────

/**
 * A query's lines, separated by `line`s of the enclosing group: the stream statement's group, so a
 * stream either fits on one line or has one line per clause.
 */
function query(q: A.Query): Doc {
  switch (q.kind) {
    case 'SelectQuery':
      return select(q);
    case 'UnionQuery':
      // Each branch is its own group: a short branch stays on one line between the `union all`s.
      return join([line, 'union all', line], q.inputs.map(unionBranch));
    case 'DedupeQuery':
      return [
        `dedupe ${name(q.relation)} by ${keys(q.keys)} keep ${q.keep}`,
        q.orderBy ? ` order by ${name(q.orderBy)}` : '',
      ];
    case 'TopQuery':
      return [
        `top ${q.count.text} from ${name(q.relation)}`,
        q.partitionBy.length > 0 ? ` per ${keys(q.partitionBy)}` : '',
        ' order by ',
        join(', ', q.orderBy.map((o) => [expr(o.expression), o.descending ? ' desc' : ''])),
      ];
    default:
      return assertNever(q, 'query');
  }
}

function unionBranch(q: A.Query): Doc {
  // The parser reads `a union all b union all c` flat; a nested union was parenthesized in the source.
  return q.kind === 'UnionQuery' ? parenthesized(q) : anchor(q.span, group(query(q)));
}

function parenthesized(q: A.Query): Doc {
  return group(['(', indent([softline, anchor(q.span, group(query(q)))]), softline, ')']);
}

/** Key lists after `by` / `per`: a lone plain name needs no parentheses. */
function keys(idents: readonly A.Ident[]): string {
  const [only] = idents;
  return idents.length === 1 && only && isPlainName(only) ? only.name : nameList(idents);
}

function select(q: A.SelectQuery): Doc {
  const items = q.items.map((i) => anchor(i.span, selectItem(i)));
  const lines: Doc[] = [
    ['select', q.distinct ? ' distinct' : '', group(indent([line, join([',', line], items)]))],
    anchor(q.from.span, ['from ', fromItem(q.from)], 1),
    ...q.joins.map((j) => anchor(j.span, joinClause(j))),
  ];
  if (q.where) lines.push(anchor(q.where.span, ['where ', expr(q.where)], 1));
  const [firstKey] = q.groupBy;
  const lastKey = q.groupBy[q.groupBy.length - 1];
  if (firstKey && lastKey) {
    lines.push(anchor(spanCovering(firstKey.span, lastKey.span), group(['group by', indent([line, join([',', line], q.groupBy.map(expr))])]), 2));
  }
  if (q.having) lines.push(anchor(q.having.span, ['having ', expr(q.having)], 1));
  return join(line, lines);
}

function selectItem(i: A.SelectItem): Doc {
  switch (i.kind) {
    case 'StarItem':
      return i.qualifier ? `${name(i.qualifier)}.*` : '*';
    case 'ExprItem':
      return [expr(i.expression), i.alias ? ` as ${name(i.alias)}` : ''];
    default:
      return assertNever(i, 'select item');
  }
}

function relation(r: A.Relation): Doc {
  switch (r.kind) {
    case 'NamedRelation':
      return name(r.name);
    case 'SubqueryRelation':
      return parenthesized(r.query);
    default:
      return assertNever(r, 'relation');
  }
}

function fromItem(f: A.FromItem): Doc {
  const window = f.window;
  const windowArgs = window ? window.args.map((a) => (a.kind === 'Duration' ? duration(a) : expr(a))) : [];
  return [
    relation(f.relation),
    f.alias ? ` ${relationAlias(f.alias)}` : '',
    window ? [' window ', name(window.function), '(', join(', ', windowArgs), ')'] : '',
  ];
}

function joinClause(j: A.JoinClause): Doc {
  switch (j.kind) {
    case 'RelationJoin': {
      const [first, ...rest] = conjuncts(j.on);
      return group([
        j.joinType === 'left' ? 'left join ' : 'join ',
        relation(j.relation),
        j.asOf ? [' for system_time as of ', expr(j.asOf)] : '',
        j.alias ? ` ${relationAlias(j.alias)}` : '',
        // A long condition goes on the next lines, one `and` per line.
        indent([line, 'on ', first ?? '', ...rest.map((r) => [line, 'and ', r])]),
      ]);
    }
    case 'UnnestJoin':
      return ['cross join unnest(', expr(j.expression), `) as ${name(j.alias)}`, j.columns.length > 0 ? nameList(j.columns) : ''];
    default:
      return assertNever(j, 'join');
  }
}

