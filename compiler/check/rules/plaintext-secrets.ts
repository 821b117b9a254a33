/**
 * A `with (…)` property that holds a credential takes `secret('name')`, never the value: whatever a source or
 * sink's properties hold is written into the Flink job or the connector config.
 *   sink s into kafka topic 'o' format avro with ('properties.ssl.keystore.password' = 'hunter2');
 *   sink s into elasticsearch index 'i' via connection search with ('connection.url' = 'https://u:pw@es:9200');
 * Which keys and values are credentials: stdlib/credentials.ts. Code: plaintext-secret.
 */
import type * as A from '../../ast/nodes.ts';
import { plaintextCredential, type PlaintextCredential } from '../../../stdlib/credentials.ts';
import type { Rule } from '../rule.ts';

export const plaintextSecretsRule: Rule = {
  name: 'plaintext-secrets',
  check(program, r) {
    const seen = new Set<A.SourceDecl | A.SinkDecl>();
    const declarations = program.pipelines.flatMap((p) => [...p.sources.map((s) => s.decl), ...p.sinks.map((s) => s.decl)]);
    for (const decl of declarations) {
      if (seen.has(decl)) continue;
      seen.add(decl);
      for (const clause of decl.clauses) {
        if (clause.kind !== 'OptionsClause') continue;
        for (const option of clause.options) {
          const key = option.key.kind === 'Ident' ? option.key.name : option.key.value;
          const found = plaintextIn(key, option.value);
          if (found) r.report('plaintext-secret', { key, found }, option.value.span);
        }
      }
    }
  },
};

function plaintextIn(key: string, value: A.SettingValue): PlaintextCredential | undefined {
  switch (value.kind) {
    case 'SecretRef': case 'BooleanLit': case 'Duration':
      return undefined;
    case 'StringLit':
      return plaintextCredential(key, value.value);
    case 'NumberLit':
      return plaintextCredential(key, value.text);
    case 'Ident':
      return plaintextCredential(key, value.name);
  }
}
