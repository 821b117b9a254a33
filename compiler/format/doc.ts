/**
 * A small document tree and its layout, in the style of Wadler's "prettier printer" (as in Prettier's
 * doc printer): the formatter describes *where lines may break*, and `render` decides *which* break,
 * group by group, so that lines fit the width. Comments enter as anchors (where they attach) and line
 * suffixes (trailing comments, printed at the end of the line they were written on).
 */
import type { Span } from '../source/source.ts';
import { assertNever } from '../util/invariant.ts';

/** A document: text (never containing a line break of the layout's own), a sequence, or a node. */
export type Doc = string | readonly Doc[] | DocNode;

export type DocNode =
  /** `space`: a space when its group is flat, else a line break; `soft`: nothing or a break; `hard`: always a break. */
  | { readonly kind: 'line'; readonly mode: 'space' | 'soft' | 'hard' }
  | { readonly kind: 'indent'; readonly contents: Doc }
  /** Laid out flat when it fits on the rest of the line and nothing forces it to break. */
  | { readonly kind: 'group'; readonly contents: Doc; readonly broken: boolean }
  /** A trailing comment: deferred to the end of the current output line. */
  | { readonly kind: 'line-suffix'; readonly comment: string }
  /**
   * A line of output that comments attach to (statement, clause, select item…); `span` is its source.
   * `lead` counts the keywords printed before the span's text (`where`, `group by`): the AST spans an
   * expression, not the clause keyword in front of it.
   */
  | { readonly kind: 'anchor'; readonly span: Span; readonly lead: number; readonly contents: Doc };

export const line: Doc = { kind: 'line', mode: 'space' };
export const softline: Doc = { kind: 'line', mode: 'soft' };
export const hardline: Doc = { kind: 'line', mode: 'hard' };
export const indent = (contents: Doc): Doc => ({ kind: 'indent', contents });
export const group = (contents: Doc): Doc => ({ kind: 'group', contents, broken: false });
export const anchor = (span: Span, contents: Doc, lead = 0): Doc => ({ kind: 'anchor', span, lead, contents });
export const lineSuffix = (comment: string): Doc => ({ kind: 'line-suffix', comment });

export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  return docs.flatMap((d, i) => (i === 0 ? [d] : [separator, d]));
}

const isLineComment = (comment: string): boolean => comment.startsWith('--');

/**
 * Marks the groups that cannot be flat: those holding a hard line (a leading comment, a clause per line),
 * and, for a trailing `--` comment, the group of the next line after it — otherwise the rest of that
 * group would be printed after the comment and become part of it. A flat group lays out everything in it
 * flat, so a group that must break breaks every group around it.
 */
export function propagateBreaks(doc: Doc): Doc {
  let pendingLineComment = false;
  // Returns the rewritten doc and whether a line inside it (outside nested groups) must break.
  const visit = (d: Doc): { doc: Doc; breaks: boolean } => {
    if (typeof d === 'string') return { doc: d, breaks: false };
    if (isDocArray(d)) {
      let breaks = false;
      const parts = d.map((part) => {
        const r = visit(part);
        breaks ||= r.breaks;
        return r.doc;
      });
      return { doc: parts, breaks };
    }
    switch (d.kind) {
      case 'line': {
        const forced = d.mode === 'hard' || pendingLineComment;
        pendingLineComment = false;
        return { doc: d, breaks: forced };
      }
      case 'line-suffix':
        if (isLineComment(d.comment)) pendingLineComment = true;
        return { doc: d, breaks: false };
      case 'indent': {
        const r = visit(d.contents);
        return { doc: { kind: 'indent', contents: r.doc }, breaks: r.breaks };
      }
      case 'anchor': {
        const r = visit(d.contents);
        return { doc: { ...d, contents: r.doc }, breaks: r.breaks };
      }
      case 'group': {
        const r = visit(d.contents);
        const broken = d.broken || r.breaks;
        return { doc: { kind: 'group', contents: r.doc, broken }, breaks: broken };
      }
      default:
        return assertNever(d, 'doc');
    }
  };
  return visit(doc).doc;
}

export function isDocArray(d: Doc): d is readonly Doc[] {
  return Array.isArray(d);
}

type Mode = 'flat' | 'break';
interface Command {
  readonly indent: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

/**
 * Lays the document out in `width` columns. Indentation is written lazily, when a line gets text, so
 * no line ends in spaces (and text such as a multi-line string literal is never touched).
 */
export function render(doc: Doc, width: number): string {
  const out: string[] = [];
  let column = 0;
  let pendingIndent: number | undefined = 0;
  let suffixes: string[] = [];
  const stack: Command[] = [{ indent: 0, mode: 'break', doc }];

  const write = (text: string): void => {
    if (text.length === 0) return;
    if (pendingIndent !== undefined) {
      out.push(' '.repeat(pendingIndent));
      column = pendingIndent;
      pendingIndent = undefined;
    }
    out.push(text);
    const newline = text.lastIndexOf('\n');
    column = newline < 0 ? column + text.length : text.length - newline - 1;
  };
  /** Trailing comments go at the end of the line; a second one after a `--` comment needs a line of its own. */
  const flushSuffixes = (nextIndent: number): void => {
    suffixes.forEach((comment, i) => {
      const previous = suffixes[i - 1];
      if (previous !== undefined && isLineComment(previous)) {
        out.push('\n');
        pendingIndent = nextIndent;
        write(comment);
      } else {
        if (pendingIndent === undefined) out.push(' ');
        write(comment);
      }
    });
    suffixes = [];
  };
  const newline = (indent: number): void => {
    flushSuffixes(indent);
    out.push('\n');
    pendingIndent = indent;
    column = indent;
  };

  for (let command = stack.pop(); command !== undefined; command = stack.pop()) {
    const { indent: ind, mode, doc: d } = command;
    if (typeof d === 'string') {
      write(d);
      continue;
    }
    if (isDocArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) stack.push({ indent: ind, mode, doc: d[i] as Doc });
      continue;
    }
    switch (d.kind) {
      case 'line':
        if (mode === 'flat' && d.mode !== 'hard') {
          if (d.mode === 'space') write(' ');
        } else {
          newline(ind);
        }
        break;
      case 'indent':
        stack.push({ indent: ind + 2, mode, doc: d.contents });
        break;
      case 'anchor':
        stack.push({ indent: ind, mode, doc: d.contents });
        break;
      case 'line-suffix':
        suffixes.push(d.comment);
        break;
      case 'group': {
        const flat = mode === 'flat' || (!d.broken && fits({ indent: ind, mode: 'flat', doc: d.contents }, stack, width - column));
        stack.push({ indent: ind, mode: flat ? 'flat' : 'break', doc: d.contents });
        break;
      }
      default:
        assertNever(d, 'doc');
    }
  }
  flushSuffixes(0);
  return out.join('');
}

/**
 * Whether `next`, laid out flat, and what follows it up to the next line break fit in `room` columns.
 * What follows matters: `select a from t` must leave room for the `;` after it.
 */
function fits(next: Command, rest: readonly Command[], room: number): boolean {
  const pending: Command[] = [next];
  let restIndex = rest.length - 1;
  let remaining = room;
  while (remaining >= 0) {
    let command = pending.pop();
    if (command === undefined) {
      command = rest[restIndex];
      restIndex--;
      if (command === undefined) return true;
    }
    const { mode, doc: d } = command;
    if (typeof d === 'string') {
      const newline = d.indexOf('\n');
      remaining -= newline < 0 ? d.length : newline;
      if (newline >= 0) return remaining >= 0;
      continue;
    }
    if (isDocArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) pending.push({ indent: command.indent, mode, doc: d[i] as Doc });
      continue;
    }
    switch (d.kind) {
      case 'line':
        if (mode === 'break' || d.mode === 'hard') return true;
        if (d.mode === 'space') remaining -= 1;
        break;
      case 'indent':
      case 'anchor':
        pending.push({ indent: command.indent, mode, doc: d.contents });
        break;
      case 'group':
        pending.push({ indent: command.indent, mode: d.broken ? 'break' : mode, doc: d.contents });
        break;
      case 'line-suffix':
        break;
      default:
        assertNever(d, 'doc');
    }
  }
  return false;
}
