/**
 * The upgrade classifier's comparisons: the analyses of the previous and the new plan side by side, part by
 * part (settings, sources, stateful operators, unions, stateless views, sinks), each change that matters for
 * state judged by its row of the rule table (docs/upgrades.md). Pure.
 */
import type { PipelinePlan, SinkPlan } from '../plan/plan.ts';
import { assertNever } from '../util/invariant.ts';
import { expandQuery, type Analysis, type Operator, type OperatorState } from './analysis.ts';
import { canon, stripPlan } from './canonical.ts';
import type { StateChange, StateRule } from './verdict.ts';
import { aggregateChange, describeChangelog, keyNames, KIND_WORDS, short, show, windowText } from './wording.ts';

export function settingChanges(previous: PipelinePlan, next: PipelinePlan, before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  const a = previous.settings;
  const b = next.settings;
  const subject = `pipeline ${next.name}`;
  // Window aggregates and interval joins clean their state up by event-time timers and keep it without TTL.
  const ttlState = (x: Analysis): boolean => [...x.operators.values()].some((o) => o.state.kind !== 'window-aggregate' && (o.state.kind !== 'join' || !o.state.type.startsWith('interval')));
  if ((a.stateTtlMillis == null) !== (b.stateTtlMillis == null) && ttlState(before) && ttlState(after)) {
    out.push({ verdict: 'incompatible', rule: 'state-ttl-toggled', subject, change: `state TTL switched ${b.stateTtlMillis == null ? 'off' : 'on'}: state written with and without TTL is serialized differently`, span: next.span });
  } else if (a.stateTtlMillis !== b.stateTtlMillis) {
    out.push({ verdict: 'compatible', rule: 'job-setting', subject, change: `state TTL changed from ${a.stateTtlMillis} ms to ${b.stateTtlMillis} ms`, span: next.span });
  }
  // Mini-batch makes group aggregates local/global pairs, and (Flink 2.2) an event-time dedupe another operator:
  // both keep other state. Restored over it, an event-time `keep first` answered with the next batch's rows.
  const aggregates = (x: Analysis): boolean => [...x.operators.values()].some((o) => o.state.kind === 'group-aggregate' || o.state.kind === 'distinct');
  const dedupes = (x: Analysis): boolean => [...x.operators.values()].some((o) => o.state.kind === 'rank' && o.state.dedupe === 'rowtime');
  if (a.miniBatch !== b.miniBatch && ((aggregates(before) && aggregates(after)) || (dedupes(before) && dedupes(after)))) {
    const what = aggregates(after) ? `group aggregates become ${b.miniBatch ? 'local/global' : 'single'} operators` : 'an event-time dedupe becomes another operator';
    out.push({ verdict: 'incompatible', rule: 'mini-batch-toggled', subject, change: `mini-batch switched ${b.miniBatch ? 'on' : 'off'}: ${what} with other state`, span: next.span });
  }
  for (const key of ['parallelism', 'checkpointMillis', 'idleTimeoutMillis', 'delivery'] as const) {
    if (a[key] !== b[key]) out.push({ verdict: 'compatible', rule: 'job-setting', subject, change: `${key} changed from ${String(a[key])} to ${String(b[key])}`, span: next.span });
  }
  return out;
}

export function sourceChanges(before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  for (const [name, old] of before.sources) {
    const now = after.sources.get(name);
    if (!now) {
      out.push({ verdict: 'compatible-dropping-state', rule: 'source-removed', subject: `source ${name}`, change: `removed: its read offsets are dropped from the savepoint`, span: undefined });
      continue;
    }
    for (const field of ['system', 'topic', 'table', 'connection'] as const) {
      if (old[field] !== now[field]) out.push({ verdict: 'incompatible', rule: 'source-identity', subject: `source ${name}`, change: `${field} changed from ${show(old[field])} to ${show(now[field])}: the restored offsets belong to the old one`, span: now.span });
    }
    if (old.value.format !== now.value.format || old.key?.format !== now.key?.format) {
      out.push({ verdict: 'incompatible', rule: 'source-identity', subject: `source ${name}`, change: `format changed from ${old.value.format} to ${now.value.format}`, span: now.span });
    }
    if (canon(old.changelog) !== canon(now.changelog) || canon(old.primaryKey) !== canon(now.primaryKey)) {
      out.push({ verdict: 'incompatible', rule: 'source-identity', subject: `source ${name}`, change: `changelog or primary key changed (${describeChangelog(old)} → ${describeChangelog(now)})`, span: now.span });
    }
    if (before.sourceIdentity.get(name) !== after.sourceIdentity.get(name) && !out.some((c) => c.subject === `source ${name}`)) {
      // The columns read or the time column changed: this shows at the operators reading it, if any.
      out.push({ verdict: 'compatible', rule: 'source-compatible', subject: `source ${name}`, change: `the columns read or the time attribute changed`, span: now.span });
    } else if (canon(old) !== canon(now) && before.sourceIdentity.get(name) === after.sourceIdentity.get(name)) {
      out.push({ verdict: 'compatible', rule: 'source-compatible', subject: `source ${name}`, change: `changed only in what state does not depend on (watermark delay, startup, options, columns no query reads)`, span: now.span });
    }
  }
  for (const [name, now] of after.sources) {
    if (!before.sources.has(name)) out.push({ verdict: 'compatible', rule: 'source-added', subject: `source ${name}`, change: `added: it starts from its startup mode (${now.startup?.mode ?? 'group offsets'})`, span: now.span });
  }
  return out;
}

export function operatorChanges(before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  const added = [...after.operators.entries()].filter(([k]) => !before.operators.has(k));
  const removed = [...before.operators.entries()].filter(([k]) => !after.operators.has(k));
  // A view renamed with its operator unchanged keeps the same state shape at the same place in the plan.
  const renamed = new Set<string>();
  for (const [rk, r] of removed) {
    const twin = added.find(([ak, a]) => !renamed.has(ak) && a.state.kind === r.state.kind && a.input === r.input && canon(a.state) === canon(r.state));
    if (twin) {
      renamed.add(twin[0]);
      renamed.add(rk);
      out.push({ verdict: 'compatible', rule: 'operator-input', subject: `view ${twin[1].view}`, change: `the ${KIND_WORDS[r.state.kind]} of view ${r.view} moved to view ${twin[1].view} unchanged`, span: twin[1].span });
    }
  }
  for (const [key, old] of before.operators) {
    const now = after.operators.get(key);
    if (!now) {
      if (!renamed.has(key)) out.push({ verdict: 'compatible-dropping-state', rule: 'operator-removed', subject: `view ${old.view}`, change: `the ${KIND_WORDS[old.state.kind]} (${old.key}) is gone: its state is dropped from the savepoint`, span: undefined });
      continue;
    }
    const subject = `view ${now.view}`;
    const what = KIND_WORDS[now.state.kind];
    const change = (rule: StateRule, text: string): StateChange => ({ verdict: 'incompatible', rule, subject, change: text, span: now.span });
    if (old.state.kind !== now.state.kind) {
      out.push(change(now.state.kind === 'window-aggregate' || old.state.kind === 'window-aggregate' ? 'window' : 'operator-input', `the ${KIND_WORDS[old.state.kind]} became a ${what}`));
      continue;
    }
    out.push(...stateChanges(old.state, now.state).map(([rule, text]) => change(rule, text)));
    if (old.input !== now.input) {
      out.push({ verdict: 'incompatible', rule: 'operator-input', subject, change: `what feeds the ${what} (${now.key}) changed upstream: ${inputDifference(before, after, old, now)}`, span: now.span });
    }
  }
  for (const [key, now] of added) {
    if (renamed.has(key)) continue;
    out.push({ verdict: 'compatible', rule: 'operator-added', subject: `view ${now.view}`, change: `a new ${KIND_WORDS[now.state.kind]} starts with empty state from the restored source offsets (it does not see earlier records)`, span: now.span });
  }
  return out;
}

/** How the state of an operator that kept its kind changed: each change with its rule. */
function stateChanges(old: OperatorState, now: OperatorState): [StateRule, string][] {
  const out: [StateRule, string][] = [];
  const differs = (a: unknown, b: unknown): boolean => canon(a) !== canon(b);
  switch (now.kind) {
    case 'group-aggregate':
    case 'window-aggregate':
      if (old.kind !== 'group-aggregate' && old.kind !== 'window-aggregate') break;
      if (differs(old.keys, now.keys)) out.push(['group-keys', `group keys changed from (${keyNames(old.keys)}) to (${keyNames(now.keys)})`]);
      if (differs(old.window, now.window)) out.push(['window', `window changed from ${windowText(old.window)} to ${windowText(now.window)}`]);
      if (differs(old.aggregates, now.aggregates)) out.push(['aggregates', aggregateChange(old.aggregates, now.aggregates)]);
      break;
    case 'join':
      if (old.kind !== 'join') break;
      if (old.type !== now.type) out.push(['join', `join type changed from ${old.type} to ${now.type}`]);
      if (differs(old.on, now.on) || differs(old.asOf, now.asOf)) out.push(['join', `join condition (keys) changed`]);
      else if (differs(old.stored, now.stored)) out.push(['join', `the columns the query reads from the joined inputs changed: the join keeps its input rows, pruned to those columns, so their shape changed`]);
      if (differs(old.where, now.where)) out.push(['join', `the filter over the join changed: Flink may apply it before the join, so the rows the join kept were chosen by the old filter`]);
      break;
    case 'rank':
      if (old.kind !== 'rank') break;
      for (const part of ['partition', 'order', 'limit'] as const) {
        if (differs(old[part], now[part])) out.push(['rank', `rank ${part} changed from ${short(old[part])} to ${short(now[part])}`]);
      }
      if (differs(old.columns, now.columns)) out.push(['rank', `the rows the rank keeps changed columns: ${short(old.columns)} → ${short(now.columns)}`]);
      break;
    case 'distinct':
      if (old.kind !== 'distinct') break;
      if (differs(old.columns, now.columns)) out.push(['distinct', `the distinct columns changed`]);
      break;
    default:
      assertNever(now, 'operator state');
  }
  return out;
}

export function unionChanges(before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  for (const [name, now] of after.views) {
    const old = before.views.get(name);
    if (!old || old.query.kind !== 'union' || now.query.kind !== 'union') continue;
    const a = old.query.inputs.map((i) => canon(expandQuery(i, before.lineage)));
    const b = now.query.inputs.map((i) => canon(expandQuery(i, after.lineage)));
    if (a.length !== b.length) {
      out.push({ verdict: 'incompatible', rule: 'union-inputs', subject: `view ${name}`, change: `UNION ALL inputs changed from ${a.length} to ${b.length}: the operators after it move`, span: now.span });
    } else if (canon(a) !== canon(b) && canon([...a].sort()) === canon([...b].sort())) {
      out.push({ verdict: 'compatible', rule: 'union-reordered', subject: `view ${name}`, change: `UNION ALL inputs reordered`, span: now.span });
    }
  }
  return out;
}

export function viewChanges(before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  for (const [name, now] of after.views) {
    const old = before.views.get(name);
    if (!old || after.statefulViews.has(name) || before.statefulViews.has(name)) continue;
    if (now.query.kind === 'union' && old.query.kind === 'union') continue;
    if (canon(old.query) !== canon(now.query) || canon(old.columns) !== canon(now.columns)) {
      out.push({ verdict: 'compatible', rule: 'stateless-view', subject: `view ${name}`, change: `changed, and holds no state: rows from now on follow the new query`, span: now.span });
    }
  }
  return out;
}

export function sinkChanges(before: Analysis, after: Analysis): StateChange[] {
  const out: StateChange[] = [];
  for (const [table, old] of before.sinks) {
    const now = after.sinks.get(table);
    if (!now) {
      out.push({ verdict: 'compatible-dropping-state', rule: 'sink-removed', subject: `sink ${table}`, change: `removed (it wrote ${old.object}): its writer state is dropped from the savepoint`, span: undefined });
      continue;
    }
    const subject = `sink ${table}`;
    if ((materialized(old) || materialized(now)) && (canon(old.keyColumns) !== canon(now.keyColumns) || canon(old.columns.map((c) => c.type)) !== canon(now.columns.map((c) => c.type)))) {
      out.push({ verdict: 'incompatible', rule: 'sink-materializer', subject, change: `the updating sink's key (${old.keyColumns.join(', ')} → ${now.keyColumns.join(', ')}) or columns changed: its upsert materializer keeps rows of the old shape`, span: now.span });
      continue;
    }
    if (canon(old) !== canon(now)) {
      const fields = Object.keys(stripPlan(now) as object).filter((k) => canon((old as unknown as Record<string, unknown>)[k]) !== canon((now as unknown as Record<string, unknown>)[k]));
      out.push({ verdict: 'compatible', rule: 'sink-changed', subject, change: `changed (${fields.join(', ')}); the writer's state does not depend on it`, span: now.span });
    }
  }
  for (const [table, now] of after.sinks) {
    if (before.sinks.has(table)) continue;
    // A sink that takes over a removed one's object (its stream renamed) gets a new, empty materializer, which
    // drops the updates and deletes of every row the old one wrote: those rows stay in the object for good.
    const takenOver = [...before.sinks].find(([name, old]) => !after.sinks.has(name) && old.object === now.object);
    if (takenOver && materialized(now)) {
      out.push({ verdict: 'incompatible', rule: 'sink-materializer', subject: `sink ${table}`, change: `writes ${now.object}, which sink ${takenOver[0]} wrote: its upsert materializer would start without the rows written so far, and drop their updates and deletes`, span: now.span });
    } else out.push({ verdict: 'compatible', rule: 'sink-added', subject: `sink ${table}`, change: `added: writes ${now.object} from now on`, span: now.span });
  }
  return out;
}

/**
 * Flink puts an upsert materializer (state: the rows per key) before an updating sink whose key is not the key
 * its input updates by. Its state schema is the row's types.
 */
function materialized(s: SinkPlan): boolean {
  return s.changelog.kind === 'updating' && s.keyColumns.length > 0 && canon([...(s.changelog.key ?? [])].sort()) !== canon([...s.keyColumns].sort());
}

function inputDifference(before: Analysis, after: Analysis, old: Operator, now: Operator): string {
  const culprits: string[] = [];
  for (const name of now.upstream) {
    if (!old.upstream.includes(name)) continue;
    const source = after.sources.has(name);
    const changed = source ? before.sourceIdentity.get(name) !== after.sourceIdentity.get(name) : before.views.has(name) && canon(before.views.get(name)?.query) !== canon(after.views.get(name)?.query);
    if (changed) culprits.push(`${source ? 'source' : 'view'} ${name}`);
  }
  const added = now.upstream.filter((r) => !old.upstream.includes(r));
  const removed = old.upstream.filter((r) => !now.upstream.includes(r));
  if (added.length > 0 || removed.length > 0) culprits.push(`it reads ${[...added.map((r) => `+${r}`), ...removed.map((r) => `-${r}`)].join(', ')}`);
  if (culprits.length > 0) return `${culprits.join(', ')} changed`;
  return 'its filter, projection or input columns changed';
}
