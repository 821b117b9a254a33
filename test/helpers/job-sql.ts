/**
 * Splits pipec's job.sql into statements, for running it statement by statement through the SQL Gateway
 * (the integration tests and the job benchmark both do). The benchmark's hand-written jobs use the same
 * layout, with a plain `INSERT INTO` where a job has one sink.
 */

/**
 * Safe for pipec's own printer only: every statement starts at the top level and ends with `;` at the end of
 * a line, and no string literal spans lines (the pinned Avro schemas are single-line JSON), so a line ending
 * in `;` always ends a statement — except inside the `EXECUTE STATEMENT SET BEGIN … END;` block, whose
 * INSERTs end in `;` too; that block runs to `END;`. Fails loudly should the printer ever change, instead of
 * sending half a statement.
 */
export function splitJobSql(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  for (const line of sql.split('\n')) {
    if (current.length === 0 && (line.trim() === '' || line.startsWith('--'))) continue;
    current.push(line);
    const inStatementSet = current[0]?.startsWith('EXECUTE STATEMENT SET') ?? false;
    if (inStatementSet ? line.trim() === 'END;' : line.trimEnd().endsWith(';')) {
      statements.push(current.join('\n').trim().replace(/;$/, ''));
      current = [];
    }
  }
  if (current.some((l) => l.trim() !== '')) throw new Error(`job.sql ends inside a statement: ${current.join('\n').slice(0, 120)}`);
  for (const s of statements) {
    if (!/^(SET|CREATE|INSERT INTO|EXECUTE STATEMENT SET)\b/.test(s)) throw new Error(`unexpected statement in job.sql: ${s.slice(0, 120)}`);
  }
  return statements;
}
