/**
 * Every name pipec hands to another system is one that system takes, reported at the span it comes from:
 * Kafka topics (read, written, derived for Connect sinks and CDC, dead-letter topics of Connect sinks, sources
 * and expectations), registry subjects,
 * Kafka Connect connector names, consumer group ids, transactional id prefixes, PostgreSQL and MySQL tables.
 *   sink s into kafka topic 'rides-ê' format avro;            sink s into postgres table 'a.b.c' via connection dw;
 * The systems' rules: stdlib/external-names.ts. Codes: invalid-external-name, topic-mixes-period-underscore.
 */
import type { Span } from '../../source/source.ts';
import type { BoundPipeline, BoundProgram, BoundSink, BoundSource } from '../../semantic/bound.ts';
import { clauseOf, connectorName, consumerGroupId, deadLetterTopic, sinkSubject, sinkTableBase, sinkTopic, subjectOf, transactionalIdPrefix } from '../../semantic/endpoints.ts';
import { connectorNameProblem, kafkaIdProblem, kafkaTopicProblem, mixesPeriodAndUnderscore, sqlTableProblem, subjectProblem } from '../../../stdlib/external-names.ts';
import type { Rule } from '../rule.ts';

type Kind = 'Kafka topic' | 'registry subject' | 'Kafka Connect connector name' | 'consumer group id' | 'transactional id prefix' | 'PostgreSQL table' | 'MySQL table';

const PROBLEM: Readonly<Record<Kind, (name: string) => string | undefined>> = {
  'Kafka topic': kafkaTopicProblem,
  'registry subject': subjectProblem,
  'Kafka Connect connector name': connectorNameProblem,
  'consumer group id': kafkaIdProblem,
  'transactional id prefix': kafkaIdProblem,
  'PostgreSQL table': (name) => sqlTableProblem(name, 'postgres'),
  'MySQL table': (name) => sqlTableProblem(name, 'mysql'),
};

export const externalNamesRule: Rule = {
  name: 'external-names',
  check(program, r) {
    const reported = new Set<string>();
    /** `madeOf`: how pipec builds a derived name, so the user sees which of their names to change. */
    const name = (kind: Kind, value: string, span: Span, madeOf?: string): void => {
      const problem = PROBLEM[kind](value);
      const key = `${span.file}:${span.start}:${kind}:${value}`;
      if (!problem || reported.has(key)) return;
      reported.add(key);
      r.report('invalid-external-name', { kind, name: value, problem, madeOf }, span);
    };
    const writtenTopic = (topic: string, span: Span): void => {
      const key = `${span.file}:${span.start}:mixed`;
      if (kafkaTopicProblem(topic) === undefined && mixesPeriodAndUnderscore(topic) && !reported.has(key)) {
        reported.add(key);
        r.report('topic-mixes-period-underscore', { topic }, span);
      }
      name('Kafka topic', topic, span);
    };
    for (const p of program.pipelines) {
      name('consumer group id', consumerGroupId(program.project, program.environment, p.name), p.span, '<project>.<environment>.<pipeline>');
      for (const s of p.sources) sourceNames(s, program, name, writtenTopic);
      for (const s of p.sinks) sinkNames(s, p, program, name, writtenTopic);
      const disposals = [...p.sources.map((s) => s.onError), ...p.streams.flatMap((s) => s.expectations.map((e) => e.otherwise))];
      for (const d of disposals) if (d.kind === 'dead-letter') writtenTopic(d.topic, d.span);
    }
  },
};

type NameCheck = (kind: Kind, value: string, span: Span, madeOf?: string) => void;

function sourceNames(s: BoundSource, program: BoundProgram, name: NameCheck, writtenTopic: (topic: string, span: Span) => void): void {
  const object = s.decl.endpoint.object.span;
  if (s.system === 'kafka') {
    writtenTopic(s.topic, object);
  } else {
    name(s.system === 'postgres' ? 'PostgreSQL table' : 'MySQL table', s.table ?? '', object);
    name('Kafka topic', s.topic, object, '<topic prefix>.<table>');
    const via = clauseOf(s.decl.clauses, 'ViaClause');
    if (s.connection) name('Kafka Connect connector name', connectorName(program.project, program.environment, s.connection), via?.connection.span ?? s.decl.span, '<project>-<environment>-<connection>');
  }
  for (const part of [s.value, s.key]) {
    if (part?.subject === undefined) continue;
    const clause = subjectOf(s.decl.clauses, part.part);
    // A subject named after a refused topic is not reported again.
    if (!clause && kafkaTopicProblem(s.topic)) continue;
    name('registry subject', part.subject, clause?.subject.span ?? object, clause ? undefined : '<topic>-<key|value>');
  }
}

function sinkNames(s: BoundSink, p: BoundPipeline, program: BoundProgram, name: NameCheck, writtenTopic: (topic: string, span: Span) => void): void {
  const object = s.decl.endpoint.object.span;
  const sinkName = s.decl.name.span;
  const kafka = s.system === 'kafka';
  const topic = sinkTopic(s.decl, program.project, p.name);
  const table = sinkTableBase(s.name, s.system);
  if (kafka) {
    writtenTopic(topic, object);
    const delivery = s.delivery ?? p.settings.delivery;
    if (delivery === 'exactly_once') name('transactional id prefix', transactionalIdPrefix(program.project, program.environment, p.name, table), s.decl.span, '<project>.<environment>.<pipeline>.<sink>_topic');
  } else {
    name('Kafka topic', topic, sinkName, '<project>.<pipeline>.<sink>');
    if (!kafkaTopicProblem(topic)) name('Kafka topic', deadLetterTopic(topic), sinkName, '<project>.<pipeline>.<sink>.dlq');
    name('Kafka Connect connector name', connectorName(program.project, program.environment, p.name, table), sinkName, '<project>-<environment>-<pipeline>-<sink>_<system>');
  }
  if (s.system === 'postgres') name('PostgreSQL table', s.object, object);
  if (s.system === 'mysql') name('MySQL table', s.object, object);
  for (const part of ['value', 'key'] as const) {
    const binding = part === 'value' ? s.value : s.key;
    if (!binding || binding.format === 'raw') continue;
    const clause = subjectOf(s.decl.clauses, part);
    if (!clause && kafkaTopicProblem(topic)) continue;
    name('registry subject', binding.subject ?? sinkSubject(s.decl, topic, part), clause?.subject.span ?? (kafka ? object : sinkName), clause ? undefined : '<topic>-<key|value>');
  }
}
