package dev.pipec.plannercheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a Flink SQL script into statements, the way a Flink SQL file is meant to be read.
 *
 * <p>Flink has no public splitter we can use here: {@code TableEnvironment#executeSql} takes exactly
 * one statement, and the SQL client's {@code SqlCommandParserImpl} only asks whether the last token
 * of the text typed so far is a semicolon (it relies on the planner's token manager, which sits
 * behind the planner loader's class loader). So this is a small lexer that knows the parts of Flink's
 * lexical grammar that can hide a semicolon:
 *
 * <ul>
 *   <li>string literals {@code '...'} with {@code ''} escapes, including {@code X'..'}, {@code N'..'},
 *       {@code U&'..'} and the C-style {@code E'..'} of Flink 2.x (backslash escapes);
 *   <li>back-quoted identifiers {@code `...`} with {@code ``} escapes, and double-quoted text;
 *   <li>comments {@code -- ...} to the end of the line and {@code /* ... *}{@code /} (hints included);
 *   <li>statement sets {@code [EXECUTE|EXPLAIN ...] STATEMENT SET BEGIN stmt; ... END}, whose body
 *       contains semicolons: the block ends at the first {@code END} that does not close a
 *       {@code CASE}.
 * </ul>
 *
 * Statements are substrings of the input (comments inside a statement are kept; comments between
 * statements are dropped) with the 1-based line and column of their first token.
 */
public final class SqlScript {

    private SqlScript() {}

    /** One statement of a script. */
    public static final class Statement {
        public final String text;
        public final int line;
        public final int column;
        /** For a statement set: its inner statements (each without its semicolon), else empty. */
        public final List<Statement> body;

        Statement(String text, int line, int column, List<Statement> body) {
            this.text = text;
            this.line = line;
            this.column = column;
            this.body = body;
        }

        public boolean isStatementSet() {
            return !body.isEmpty();
        }
    }

    /** A lexical error: an unterminated literal, identifier, comment or statement set. */
    public static final class SplitException extends Exception {
        private static final long serialVersionUID = 1L;

        public final int line;

        SplitException(String message, int line) {
            super(message);
            this.line = line;
        }
    }

    enum Kind {
        WORD,
        QUOTED,
        STRING,
        SEMICOLON,
        OTHER
    }

    static final class Token {
        final Kind kind;
        final int start;
        final int end;
        final String upper; // for WORD: the word in upper case

        Token(Kind kind, int start, int end, String upper) {
            this.kind = kind;
            this.start = start;
            this.end = end;
            this.upper = upper;
        }
    }

    /** Splits {@code sql} into its statements. Empty statements (";;") are dropped. */
    public static List<Statement> split(String sql) throws SplitException {
        List<Token> tokens = lex(sql);
        int[] lineStarts = lineStarts(sql);
        List<Statement> out = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            // Collect one statement: tokens up to a top-level semicolon.
            int first = i;
            int setBegin = -1; // index of BEGIN of a statement set
            int setEnd = -1; // index of its END
            int caseDepth = 0;
            while (i < tokens.size()) {
                Token t = tokens.get(i);
                if (setBegin >= 0 && setEnd < 0) {
                    if (t.kind == Kind.WORD && t.upper.equals("CASE")) {
                        caseDepth++;
                    } else if (t.kind == Kind.WORD && t.upper.equals("END")) {
                        if (caseDepth > 0) {
                            caseDepth--;
                        } else {
                            setEnd = i;
                        }
                    }
                    i++;
                    continue;
                }
                if (t.kind == Kind.SEMICOLON) {
                    break;
                }
                if (t.kind == Kind.WORD
                        && t.upper.equals("BEGIN")
                        && i - first >= 2
                        && isWord(tokens.get(i - 1), "SET")
                        && isWord(tokens.get(i - 2), "STATEMENT")) {
                    setBegin = i;
                }
                i++;
            }
            int last = i - 1; // last token of the statement (before ';' or end of input)
            if (setBegin >= 0 && setEnd < 0) {
                throw new SplitException(
                        "statement set without END (STATEMENT SET BEGIN at line "
                                + lineOf(lineStarts, tokens.get(setBegin).start)
                                + ")",
                        lineOf(lineStarts, tokens.get(setBegin).start));
            }
            if (last >= first) {
                List<Statement> body = new ArrayList<>();
                if (setBegin >= 0) {
                    body = bodyOf(sql, tokens, setBegin + 1, setEnd, lineStarts);
                    if (body.isEmpty()) {
                        throw new SplitException(
                                "empty statement set",
                                lineOf(lineStarts, tokens.get(setBegin).start));
                    }
                }
                out.add(make(sql, tokens.get(first).start, tokens.get(last).end, lineStarts, body));
            }
            i++; // skip ';'
        }
        return out;
    }

    private static List<Statement> bodyOf(
            String sql, List<Token> tokens, int from, int to, int[] lineStarts) {
        List<Statement> body = new ArrayList<>();
        int first = from;
        for (int j = from; j <= to; j++) {
            if (j == to || tokens.get(j).kind == Kind.SEMICOLON) {
                if (j > first) {
                    body.add(
                            make(
                                    sql,
                                    tokens.get(first).start,
                                    tokens.get(j - 1).end,
                                    lineStarts,
                                    List.of()));
                }
                first = j + 1;
            }
        }
        return body;
    }

    private static Statement make(
            String sql, int start, int end, int[] lineStarts, List<Statement> body) {
        int line = lineOf(lineStarts, start);
        int column = start - lineStarts[line - 1] + 1;
        return new Statement(sql.substring(start, end), line, column, body);
    }

    private static boolean isWord(Token t, String upper) {
        return t.kind == Kind.WORD && t.upper.equals(upper);
    }

    /** The leading words of a statement, upper-cased, skipping comments (at most {@code max}). */
    public static List<String> leadingWords(String statement, int max) {
        List<String> words = new ArrayList<>();
        try {
            for (Token t : lex(statement)) {
                if (t.kind != Kind.WORD || words.size() >= max) {
                    break;
                }
                words.add(t.upper);
            }
        } catch (SplitException e) {
            // a statement we split ourselves always lexes
        }
        return words;
    }

    /**
     * The offset just past the first top-level word {@code upperWord} of {@code statement} and the
     * whitespace after it, or -1 when there is none. Used to cut {@code EXECUTE} off {@code
     * EXECUTE STATEMENT SET ...} and {@code COMPILE PLAN '...' FOR} off a compiled-plan statement.
     */
    public static int offsetAfterWord(String statement, String upperWord) {
        try {
            List<Token> tokens = lex(statement);
            for (int i = 0; i < tokens.size(); i++) {
                if (isWord(tokens.get(i), upperWord)) {
                    return i + 1 < tokens.size() ? tokens.get(i + 1).start : -1;
                }
            }
        } catch (SplitException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Whether a CREATE/REPLACE TABLE statement has a top-level AS (CREATE TABLE ... AS SELECT),
     * which would submit a job.
     */
    public static boolean hasTopLevelAs(String statement) {
        try {
            int depth = 0;
            for (Token t : lex(statement)) {
                if (t.kind == Kind.OTHER) {
                    char c = statement.charAt(t.start);
                    if (c == '(') {
                        depth++;
                    } else if (c == ')') {
                        depth--;
                    }
                } else if (depth == 0 && isWord(t, "AS")) {
                    return true;
                }
            }
        } catch (SplitException e) {
            return false;
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------
    // Lexer

    static List<Token> lex(String s) throws SplitException {
        List<Token> tokens = new ArrayList<>();
        int[] lineStarts = null;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int close = s.indexOf("*/", i + 2);
                if (close < 0) {
                    lineStarts = lineStarts == null ? lineStarts(s) : lineStarts;
                    throw new SplitException(
                            "unterminated comment /* starting at line " + lineOf(lineStarts, i),
                            lineOf(lineStarts, i));
                }
                i = close + 2;
            } else if (c == '\'') {
                boolean cStyle = isCStylePrefix(s, i);
                int end = endOfQuoted(s, i, '\'', cStyle);
                if (end < 0) {
                    lineStarts = lineStarts == null ? lineStarts(s) : lineStarts;
                    throw new SplitException(
                            "unterminated string literal starting at line " + lineOf(lineStarts, i),
                            lineOf(lineStarts, i));
                }
                // a prefix letter (E, X, N) was lexed as a WORD glued to the literal: drop it
                if (!tokens.isEmpty()) {
                    Token prev = tokens.get(tokens.size() - 1);
                    if (prev.kind == Kind.WORD && prev.end == i && isLiteralPrefix(prev.upper)) {
                        tokens.remove(tokens.size() - 1);
                        tokens.add(new Token(Kind.STRING, prev.start, end, null));
                        i = end;
                        continue;
                    }
                }
                tokens.add(new Token(Kind.STRING, i, end, null));
                i = end;
            } else if (c == '`' || c == '"') {
                int end = endOfQuoted(s, i, c, false);
                if (end < 0) {
                    lineStarts = lineStarts == null ? lineStarts(s) : lineStarts;
                    throw new SplitException(
                            "unterminated quoted identifier " + c + " starting at line "
                                    + lineOf(lineStarts, i),
                            lineOf(lineStarts, i));
                }
                tokens.add(new Token(Kind.QUOTED, i, end, null));
                i = end;
            } else if (c == ';') {
                tokens.add(new Token(Kind.SEMICOLON, i, i + 1, null));
                i++;
            } else if (isWordStart(c)) {
                int start = i;
                while (i < n && isWordPart(s.charAt(i))) {
                    i++;
                }
                // U&'...' (unicode string literal): keep "U&" glued to the literal
                if (i + 1 < n
                        && i - start == 1
                        && (s.charAt(start) == 'U' || s.charAt(start) == 'u')
                        && s.charAt(i) == '&'
                        && s.charAt(i + 1) == '\'') {
                    int end = endOfQuoted(s, i + 1, '\'', false);
                    if (end < 0) {
                        lineStarts = lineStarts == null ? lineStarts(s) : lineStarts;
                        throw new SplitException(
                                "unterminated string literal starting at line "
                                        + lineOf(lineStarts, start),
                                lineOf(lineStarts, start));
                    }
                    tokens.add(new Token(Kind.STRING, start, end, null));
                    i = end;
                    continue;
                }
                tokens.add(
                        new Token(
                                Kind.WORD, start, i, s.substring(start, i).toUpperCase(Locale.ROOT)));
            } else {
                tokens.add(new Token(Kind.OTHER, i, i + 1, null));
                i++;
            }
        }
        return tokens;
    }

    private static boolean isLiteralPrefix(String upper) {
        return upper.equals("E") || upper.equals("X") || upper.equals("N");
    }

    /** {@code E'...'}: a C-style escape string (Flink 2.0+), where a backslash escapes a quote. */
    private static boolean isCStylePrefix(String s, int quote) {
        if (quote < 1) {
            return false;
        }
        char p = s.charAt(quote - 1);
        if (p != 'E' && p != 'e') {
            return false;
        }
        return quote < 2 || !isWordPart(s.charAt(quote - 2));
    }

    /** Index just past the closing quote, or -1. A doubled quote is an escaped quote. */
    private static int endOfQuoted(String s, int open, char q, boolean backslashEscapes) {
        int n = s.length();
        int i = open + 1;
        while (i < n) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == q) {
                if (i + 1 < n && s.charAt(i + 1) == q) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return -1;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$';
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    static int[] lineStarts(String s) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                starts.add(i + 1);
            } else if (c == '\r' && (i + 1 >= s.length() || s.charAt(i + 1) != '\n')) {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** 1-based line of offset {@code pos}. */
    static int lineOf(int[] lineStarts, int pos) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= pos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }
}
