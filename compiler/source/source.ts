/** A source text and positions in it. Offsets are UTF-16 code units, half-open; line/column are computed at render time. */
export interface SourceFile {
  /** Path as the user names it (relative to the project root), used in every diagnostic. */
  readonly path: string;
  readonly text: string;
}

export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The place of a finding about a whole file (not text, too large, unreadable): its start, which is line 1,
 * column 1 whatever the file holds, so a file whose text pipec never read still has a place.
 */
export function wholeFile(file: string): Span {
  return { file, start: 0, end: 0 };
}

export interface LineColumn {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
}

const lineStartsCache = new WeakMap<SourceFile, readonly number[]>();

function lineStarts(source: SourceFile): readonly number[] {
  const cached = lineStartsCache.get(source);
  if (cached) return cached;
  const starts = [0];
  const text = source.text;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  lineStartsCache.set(source, starts);
  return starts;
}

export function lineColumnOf(source: SourceFile, offset: number): LineColumn {
  const starts = lineStarts(source);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}

/** The text of a 1-based line, without its line break. */
export function lineText(source: SourceFile, line: number): string {
  const starts = lineStarts(source);
  const start = starts[line - 1] ?? source.text.length;
  const next = starts[line];
  const end = next === undefined ? source.text.length : next - 1;
  return source.text.slice(start, end).replace(/\r$/, '');
}

export function spanCovering(first: Span, last: Span): Span {
  return { file: first.file, start: first.start, end: Math.max(first.end, last.end) };
}
