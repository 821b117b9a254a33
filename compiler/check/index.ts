/**
 * The checks, in order. Name resolution and typing happen while binding (semantic/bind.ts); these rules
 * judge the bound program. Order only affects the order of findings: no rule depends on another.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { BoundProgram } from '../semantic/bound.ts';
import { Reporter } from '../semantic/context.ts';
import type { Rule } from './rule.ts';
import { groupByRule } from './rules/group-by.ts';
import { windowGroupingRule } from './rules/window-grouping.ts';
import { sessionWindowKeysRule } from './rules/session-window-keys.ts';
import { sessionWindowTopNRule } from './rules/session-window-top-n.ts';
import { windowAggregateFunctionsRule } from './rules/window-aggregate-functions.ts';
import { joinKeysRule } from './rules/join-keys.ts';
import { temporalJoinRule } from './rules/temporal-join.ts';
import { timeAttributeTypesRule } from './rules/time-attribute-types.ts';
import { appendOnlyInputsRule } from './rules/append-only-inputs.ts';
import { sinkChangelogRule } from './rules/sink-changelog.ts';
import { sinkKeyRule } from './rules/sink-key.ts';
import { expectationChangelogRule } from './rules/expectation-changelog.ts';
import { sourceOnErrorRule } from './rules/source-on-error.ts';
import { exactlyOnceRule } from './rules/exactly-once.ts';
import { namesRule } from './rules/names.ts';
import { plaintextSecretsRule } from './rules/plaintext-secrets.ts';
import { externalNamesRule } from './rules/external-names.ts';
import { pipelineNamesRule } from './rules/pipeline-names.ts';
import { targetSupportRule } from './rules/target-support.ts';

export const RULES: readonly Rule[] = [
  namesRule,
  pipelineNamesRule,
  groupByRule,
  windowGroupingRule,
  sessionWindowKeysRule,
  sessionWindowTopNRule,
  windowAggregateFunctionsRule,
  joinKeysRule,
  temporalJoinRule,
  timeAttributeTypesRule,
  appendOnlyInputsRule,
  sinkChangelogRule,
  sinkKeyRule,
  expectationChangelogRule,
  sourceOnErrorRule,
  exactlyOnceRule,
  plaintextSecretsRule,
  externalNamesRule,
  targetSupportRule,
];

export function check(program: BoundProgram, rules: readonly Rule[] = RULES): Diagnostic[] {
  const r = new Reporter();
  for (const rule of rules) rule.check(program, r);
  return r.diagnostics;
}
