/**
 * Splits a generated SQL script (job.sql, compile-plan.sql) into statements: on `;` outside strings,
 * quoted identifiers and comments, keeping a `STATEMENT SET BEGIN … END;` block whole. Pure.
 */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let current = '';
  /** The statement so far without strings and comments, to recognise keywords. */
  let bare = '';
  let i = 0;
  const flush = (): void => {
    const text = current.trim();
    if (text.length > 0 && bare.trim().length > 0) out.push(text);
    current = '';
    bare = '';
  };
  while (i < script.length) {
    const ch = script[i] ?? '';
    const next = script[i + 1] ?? '';
    if (ch === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end + 1;
      current += '\n';
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? script.length : end + 2;
      current += ' ';
      continue;
    }
    if (ch === "'" || ch === '`' || ch === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= script.length) break;
        if (script[j] === ch) {
          if (script[j + 1] === ch) {
            j += 2;
            continue;
          }
          break;
        }
        j += 1;
      }
      current += script.slice(i, j + 1);
      bare += ' x ';
      i = j + 1;
      continue;
    }
    if (ch === ';') {
      const inSet = /\bSTATEMENT\s+SET\s+BEGIN\b/i.test(bare) && !/\bEND\s*$/i.test(bare);
      if (inSet) {
        current += ch;
        bare += ch;
        i += 1;
        continue;
      }
      flush();
      i += 1;
      continue;
    }
    current += ch;
    bare += ch;
    i += 1;
  }
  flush();
  return out;
}
