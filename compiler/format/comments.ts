/**
 * Puts comments back into a formatted document. The printer marks the lines comments may attach to as
 * anchors (statements, clauses, select items, query clauses, CASE arms, settings); the lexer kept every
 * comment with its offsets. Each comment is attached exactly once, in source order:
 *
 * - a comment after code on its line (comments between them aside) trails: it is printed at the end of the
 *   output line holding the end of the anchor that ends last on that line before it (innermost on a tie),
 *   or the start of the anchor that starts last on that line before it, whichever is nearer; else the end
 *   of the innermost anchor around it, or of the last anchor before it;
 * - a comment on a line of its own leads the first anchor (in print order) that starts after it, unless
 *   that anchor lies outside the innermost anchor around the comment: then it trails that anchor, so it
 *   never jumps over the comments after it; with no anchor left it goes at the end of the file.
 *
 * The same rules read each comment of the output back at the same place, so formatting is idempotent.
 */
import type { IToken } from 'chevrotain';
import { hardline, isDocArray, lineSuffix, type Doc, type DocNode } from './doc.ts';
import { assertNever } from '../util/invariant.ts';

type AnchorNode = Extract<DocNode, { kind: 'anchor' }>;

interface Anchor {
  readonly node: AnchorNode;
  /** Position in print order. */
  readonly order: number;
  /** When printing enters and leaves it, on one clock: orders the places comments attach to. */
  readonly enter: number;
  readonly exit: number;
  readonly parent: Anchor | undefined;
  /** Where its span starts: its content, for leading comments. */
  readonly spanStart: number;
  /** Where its line starts in the source, keywords included: for trailing comments. */
  readonly lineStart: number;
  readonly end: number;
}

interface Comment {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

interface Attached {
  readonly leading: Comment[];
  readonly before: Comment[];
  readonly after: Comment[];
}

export interface CommentedDoc {
  readonly doc: Doc;
  /** Comments after the last anchor, to print after the document. */
  readonly trailingDoc: Doc;
}

export function attachComments(doc: Doc, tokens: readonly IToken[], text: string): CommentedDoc {
  const comments = tokens.map(toComment).sort((a, b) => a.start - b.start);
  if (comments.length === 0) return { doc, trailingDoc: [] };
  const anchors = collectAnchors(doc, (start, lead) => startOfLead(text, comments, start, lead));
  const lines = new LineIndex(text);
  const bySpan = new AnchorIndex(anchors.list, (a) => a.spanStart);
  const byLine = new AnchorIndex(anchors.list, (a) => a.lineStart);
  const attached = new Map<Anchor, Attached>();
  const slot = (a: Anchor): Attached => {
    let s = attached.get(a);
    if (!s) attached.set(a, (s = { leading: [], before: [], after: [] }));
    return s;
  };
  const atEnd: Comment[] = [];

  // Comments keep their order: a comment never goes before the place of the one ahead of it (and after
  // one at the end of the file, all go there).
  let previous: Place | 'end' | undefined;
  comments.forEach((comment, i) => {
    const code = codeBefore(comments, i, text);
    let place: Place | 'end' = (code === undefined ? undefined : trailingPlace(comment, lines.lineOf(code), byLine, lines)) ?? leadingPlace(comment, bySpan) ?? 'end';
    if (previous === 'end' || (previous && place !== 'end' && positionOf(place) < positionOf(previous))) place = previous;
    previous = place;
    if (place === 'end') atEnd.push(comment);
    else slot(place.anchor)[place.where].push(comment);
  });

  const rebuilt = rebuild(doc, (node) => {
    const anchor = anchors.byNode.get(node);
    const s = anchor ? attached.get(anchor) : undefined;
    if (!anchor || !s) return node.contents;
    const leading = s.leading.flatMap((c, i) => {
      const followedBy = s.leading[i + 1]?.start ?? anchor.lineStart;
      return [c.text, hardline, ...(hasBlankLine(text, c.end, followedBy) ? [hardline] : [])];
    });
    return [...leading, ...s.before.map((c) => lineSuffix(c.text)), node.contents, ...s.after.map((c) => lineSuffix(c.text))];
  });
  const { doc: spilled, left } = spillCollisions(rebuilt);

  const leftOver: Doc[] = left.flatMap((c) => [hardline, c]);
  const trailingDoc = atEnd.flatMap((c, i): Doc[] => {
    const previousEnd = i === 0 ? lastCodeEnd(comments, comments.indexOf(c), text) : (atEnd[i - 1]?.end ?? 0);
    if (i === 0 && anchors.list.length === 0) return [c.text];
    return [hardline, ...(hasBlankLine(text, previousEnd, c.start) ? [hardline] : []), c.text];
  });
  return { doc: spilled, trailingDoc: [...leftOver, ...trailingDoc] };
}

function toComment(token: IToken): Comment {
  // A `--` comment ends at the line break; in a CRLF file its image keeps the `\r`, which is not part of it.
  const text = token.image.startsWith('--') ? token.image.replace(/\r$/, '') : token.image;
  return { text, start: token.startOffset, end: token.startOffset + token.image.length };
}

interface Place {
  readonly anchor: Anchor;
  readonly where: keyof Attached;
}

/** Where a place is in the output, on the anchors' enter/exit clock. */
function positionOf(place: Place): number {
  switch (place.where) {
    case 'leading':
      return place.anchor.enter;
    case 'before':
      return place.anchor.enter + 0.5;
    case 'after':
      return place.anchor.exit;
    default:
      return assertNever(place.where, 'place');
  }
}

/** undefined: at the end of the file. */
function leadingPlace(comment: Comment, index: AnchorIndex): Place | undefined {
  const next = index.firstInOrderStartingAtOrAfter(comment.end);
  const container = index.innermostAround(comment);
  if (container && (!next || next.spanStart >= container.end)) return { anchor: container, where: 'after' };
  return next ? { anchor: next, where: 'leading' } : undefined;
}

/** `line`: the line of the code the comment follows (a multi-line comment between them may end on a later one). */
function trailingPlace(comment: Comment, line: number, index: AnchorIndex, lines: LineIndex): Place | undefined {
  const endingBefore = index.lastEndingAtOrBefore(comment.start);
  const startingBefore = index.lastStartingBefore(comment.start);
  const ends = endingBefore && lines.lineOf(endingBefore.end) === line ? endingBefore : undefined;
  const starts = startingBefore && lines.lineOf(startingBefore.lineStart) === line ? startingBefore : undefined;
  if (ends && (!starts || ends.end > starts.lineStart)) return { anchor: ends, where: 'after' };
  if (starts) return { anchor: starts, where: 'before' };
  const container = index.innermostAround(comment);
  const next = index.firstInOrderStartingAtOrAfter(comment.end);
  if (container && next && next.lineStart < container.end) return { anchor: next, where: 'before' };
  if (container) return { anchor: container, where: 'after' };
  return endingBefore ? { anchor: endingBefore, where: 'after' } : undefined;
}

/**
 * A trailing comment after a `--` comment on the same output line would become part of it. Such a
 * comment instead leads the next anchor after a line break — where a second run would put it.
 */
function spillCollisions(doc: Doc): { doc: Doc; left: readonly string[] } {
  let lineComment = false;
  let awaitingLine = false;
  let spilled: string[] = [];
  const visit = (d: Doc): Doc => {
    if (typeof d === 'string') return d;
    if (isDocArray(d)) return d.map(visit);
    const node = d;
    switch (node.kind) {
      case 'line':
        lineComment = false;
        awaitingLine = false;
        return node;
      case 'line-suffix':
        // Once one comment has spilled, the ones after it follow it, to keep their order.
        if (lineComment || spilled.length > 0) {
          spilled.push(node.comment);
          awaitingLine = true;
          return [];
        }
        lineComment = node.comment.startsWith('--');
        return node;
      case 'indent':
        return { kind: 'indent', contents: visit(node.contents) };
      case 'group':
        return { kind: 'group', contents: visit(node.contents), broken: node.broken };
      case 'anchor': {
        if (spilled.length === 0 || awaitingLine) return { ...node, contents: visit(node.contents) };
        const leading = spilled.flatMap((c) => [c, hardline]);
        spilled = [];
        return { ...node, contents: [...leading, visit(node.contents)] };
      }
      default:
        return assertNever(node, 'doc');
    }
  };
  const result = visit(doc);
  return { doc: result, left: spilled };
}

/**
 * The offset of the code (not whitespace, not another comment) before comment `i` on the same line, where
 * a comment before it counts as on the line it starts on; undefined when the comment starts its line.
 */
function codeBefore(comments: readonly Comment[], i: number, text: string): number | undefined {
  let p = (comments[i]?.start ?? 0) - 1;
  let j = i - 1;
  while (p >= 0) {
    const ch = text.charCodeAt(p);
    if (ch === 10) return undefined;
    if (ch === 32 || ch === 9 || ch === 13 || ch === 12) {
      p--;
      continue;
    }
    const previous = comments[j];
    if (previous && previous.end - 1 === p) {
      p = previous.start - 1;
      j--;
      continue;
    }
    return p;
  }
  return undefined;
}

/** The end of the last code before comment `i`, skipping whitespace and earlier comments. */
function lastCodeEnd(comments: readonly Comment[], i: number, text: string): number {
  let p = (comments[i]?.start ?? 0) - 1;
  let j = i - 1;
  while (p >= 0) {
    const previous = comments[j];
    if (previous && previous.end - 1 === p) {
      p = previous.start - 1;
      j--;
    } else if (/\s/.test(text.charAt(p))) {
      p--;
    } else {
      return p + 1;
    }
  }
  return 0;
}

function hasBlankLine(text: string, from: number, to: number): boolean {
  return to > from && /\n[ \t\r\f]*\n/.test(text.slice(from, to));
}

/**
 * Where an anchor's line starts in the source: before the `lead` keywords printed ahead of its span, and
 * before the opening parentheses of an expression, which its span leaves out (`where (a or b) and c`).
 */
function startOfLead(text: string, comments: readonly Comment[], start: number, lead: number): number {
  const skipTrivia = (from: number): number => {
    let p = from;
    for (;;) {
      while (p > 0 && /[\s(]/.test(text.charAt(p - 1))) p--;
      const k = lowerBound(comments, (c) => c.end >= p);
      const comment = comments[k];
      if (!comment || comment.end !== p) return p;
      p = comment.start;
    }
  };
  let p = start;
  for (let i = 0; i < lead; i++) {
    p = skipTrivia(p);
    while (p > 0 && /\w/.test(text.charAt(p - 1))) p--;
  }
  return p;
}

class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  lineOf(offset: number): number {
    return lowerBound(this.starts, (s) => s > offset) - 1;
  }
}

interface Anchors {
  readonly list: readonly Anchor[];
  readonly byNode: ReadonlyMap<AnchorNode, Anchor>;
}

function collectAnchors(doc: Doc, lineStartOf: (start: number, lead: number) => number): Anchors {
  const list: Anchor[] = [];
  const byNode = new Map<AnchorNode, Anchor>();
  let clock = 0;
  const visit = (d: Doc, parent: Anchor | undefined): void => {
    if (typeof d === 'string') return;
    if (isDocArray(d)) {
      for (const part of d) visit(part, parent);
      return;
    }
    const node = d;
    switch (node.kind) {
      case 'line':
      case 'line-suffix':
        return;
      case 'indent':
      case 'group':
        return visit(node.contents, parent);
      case 'anchor': {
        const { start, end } = node.span;
        const order = list.length;
        const enter = clock++;
        const lineStart = lineStartOf(start, node.lead);
        // The anchor is recorded before its children (print order), and its exit time after them.
        const anchor = { node, order, enter, exit: 0, parent, spanStart: start, lineStart, end };
        list.push(anchor);
        byNode.set(node, anchor);
        visit(node.contents, anchor);
        anchor.exit = clock++;
        return;
      }
      default:
        return assertNever(node, 'doc');
    }
  };
  visit(doc, undefined);
  return { list, byNode };
}

/** Binary searches over anchors by a start position and by end; ties go to the later (inner) anchor in print order. */
class AnchorIndex {
  private readonly list: readonly Anchor[];
  private readonly startOf: (a: Anchor) => number;
  private readonly byStart: readonly Anchor[];
  private readonly byEnd: readonly Anchor[];
  /** minOrderFrom[k]: the earliest print order among byStart[k…]. */
  private readonly minOrderFrom: readonly number[];

  constructor(list: readonly Anchor[], startOf: (a: Anchor) => number) {
    this.list = list;
    this.startOf = startOf;
    this.byStart = [...list].sort((a, b) => startOf(a) - startOf(b) || a.order - b.order);
    this.byEnd = [...list].sort((a, b) => a.end - b.end || a.order - b.order);
    const minOrder = new Array<number>(list.length + 1).fill(Number.POSITIVE_INFINITY);
    for (let k = list.length - 1; k >= 0; k--) minOrder[k] = Math.min(minOrder[k + 1] ?? Infinity, this.byStart[k]?.order ?? Infinity);
    this.minOrderFrom = minOrder;
  }

  firstInOrderStartingAtOrAfter(offset: number): Anchor | undefined {
    const order = this.minOrderFrom[lowerBound(this.byStart, (a) => this.startOf(a) >= offset)] ?? Infinity;
    return Number.isFinite(order) ? this.list[order] : undefined;
  }
  lastEndingAtOrBefore(offset: number): Anchor | undefined {
    return this.byEnd[lowerBound(this.byEnd, (a) => a.end > offset) - 1];
  }
  lastStartingBefore(offset: number): Anchor | undefined {
    return this.byStart[lowerBound(this.byStart, (a) => this.startOf(a) >= offset) - 1];
  }
  /** Anchors nest as their spans do, so the innermost one around a comment encloses the last one starting before it. */
  innermostAround(comment: Comment): Anchor | undefined {
    for (let a = this.lastStartingBefore(comment.start); a; a = a.parent) if (a.end >= comment.end) return a;
    return undefined;
  }
}

/** The first index whose element satisfies `pred`, for a predicate that is false then true along the array. */
function lowerBound<T>(items: readonly T[], pred: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(items[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function rebuild(doc: Doc, replaceAnchor: (node: AnchorNode) => Doc): Doc {
  const visit = (d: Doc): Doc => {
    if (typeof d === 'string') return d;
    if (isDocArray(d)) return d.map(visit);
    const node = d;
    switch (node.kind) {
      case 'line':
      case 'line-suffix':
        return node;
      case 'indent':
        return { kind: 'indent', contents: visit(node.contents) };
      case 'group':
        return { kind: 'group', contents: visit(node.contents), broken: node.broken };
      case 'anchor':
        // Kept, so that spillCollisions can still find the anchors.
        return { ...node, contents: visit(replaceAnchor(node)) };
      default:
        return assertNever(node, 'doc');
    }
  };
  return visit(doc);
}
