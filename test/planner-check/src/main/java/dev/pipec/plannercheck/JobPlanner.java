package dev.pipec.plannercheck;

import org.apache.flink.table.api.CompiledPlan;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans one job.sql in a fresh streaming TableEnvironment: applies its SET statements, runs its
 * DDL, then compiles the plan of its statement set and EXPLAINs it. Nothing is executed: no job is
 * submitted (flink-clients is deliberately not on the class path, so even a stray execution would
 * fail with "No ExecutorFactory found"), and no connector or format opens a connection while
 * planning.
 */
final class JobPlanner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FLINK_POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    /** The result for one file. Field names are the JSON output. */
    static final class Result {
        final String file;
        boolean ok = true;
        Failure error;
        final List<Sink> sinks = new ArrayList<>();
        boolean compiledPlan;
        final List<String> warnings = new ArrayList<>();
        long ddlMs;
        long compileMs;
        long explainMs;
        /** Every temporary view's resolved schema (its name, then each column's name and type summary). */
        final List<View> views = new ArrayList<>();
        /** The compiled plans (JSON) and EXPLAIN texts, one per statement set, for --dump-dir. */
        final List<String> plans = new ArrayList<>();
        final List<String> explains = new ArrayList<>();

        Result(String file) {
            this.file = file;
        }
    }

    static final class Failure {
        final String message;
        final String statement;
        final Integer line;

        Failure(String message, String statement, Integer line) {
            this.message = message;
            this.statement = statement;
            this.line = line;
        }
    }

    /**
     * A sink of the plan, read from the compiled plan's stream-exec-sink node: its identifier, its
     * inputChangelogMode (the changes written into the sink) and requireUpsertMaterialize.
     */
    static final class Sink {
        final String table;
        final String identifier;
        final String changelogMode;
        final boolean upsertMaterialize;

        Sink(String table, String identifier, String changelogMode, boolean upsertMaterialize) {
            this.table = table;
            this.identifier = identifier;
            this.changelogMode = changelogMode;
            this.upsertMaterialize = upsertMaterialize;
        }
    }

    /** What to plan: the INSERTs of one statement set (or a lone INSERT). */
    private static final class Unit {
        final SqlScript.Statement statement;
        final List<SqlScript.Statement> inserts;
        /** {@code STATEMENT SET BEGIN ... END} or {@code INSERT ...}, as Flink will parse it. */
        final String planText;
        final int planLine;

        Unit(SqlScript.Statement statement, List<SqlScript.Statement> inserts, String planText, int planLine) {
            this.statement = statement;
            this.inserts = inserts;
            this.planText = planText;
            this.planLine = planLine;
        }
    }

    /**
     * A view as the planner resolved it: each column's name and LogicalType#asSummaryString, which marks
     * nullability (NOT NULL) and time attributes (*ROWTIME*, *PROCTIME*).
     */
    static final class View {
        final String name;
        final List<String[]> columns = new ArrayList<>();

        View(String name) {
            this.name = name;
        }
    }

    /** Thrown to stop planning a file at a statement. */
    private static final class StatementError extends Exception {
        private static final long serialVersionUID = 1L;

        final SqlScript.Statement statement;
        final int baseLine;

        StatementError(SqlScript.Statement statement, int baseLine, Throwable cause) {
            super(cause);
            this.statement = statement;
            this.baseLine = baseLine;
        }

        StatementError(SqlScript.Statement statement, String message) {
            super(message);
            this.statement = statement;
            this.baseLine = statement.line;
        }
    }

    private final ConfigKeys configKeys;
    private final boolean unknownSetKeysAreErrors;

    JobPlanner(ConfigKeys configKeys, boolean unknownSetKeysAreErrors) {
        this.configKeys = configKeys;
        this.unknownSetKeysAreErrors = unknownSetKeysAreErrors;
    }

    Result check(String file, String sql) {
        Result r = new Result(file);
        List<SqlScript.Statement> statements;
        try {
            statements = SqlScript.split(sql);
        } catch (SqlScript.SplitException e) {
            r.ok = false;
            r.error = new Failure(e.getMessage(), null, e.line);
            return r;
        }
        try {
            run(r, statements);
        } catch (StatementError e) {
            r.ok = false;
            Throwable cause = e.getCause();
            String message = cause != null ? describe(cause) : e.getMessage();
            Integer line = e.statement.line;
            Matcher m = FLINK_POSITION.matcher(message);
            if (cause != null && m.find()) {
                line = e.baseLine + Integer.parseInt(m.group(1)) - 1;
            }
            r.error = new Failure(message, e.statement.text, line);
        } catch (Throwable e) {
            r.ok = false;
            r.error = new Failure(describe(e), null, null);
        }
        return r;
    }

    private void run(Result r, List<SqlScript.Statement> statements) throws StatementError {
        long t0 = System.nanoTime();
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        List<Unit> units = new ArrayList<>();
        List<SqlScript.Statement> clientSet = null; // between BEGIN STATEMENT SET; and END;
        SqlScript.Statement clientSetBegin = null;
        for (SqlScript.Statement s : statements) {
            List<String> w = SqlScript.leadingWords(s.text, 4);
            String w0 = w.isEmpty() ? "" : w.get(0);
            String w1 = w.size() > 1 ? w.get(1) : "";
            if (clientSet != null) {
                if (w0.equals("END") && w.size() == 1) {
                    units.add(clientStyleUnit(clientSetBegin, clientSet));
                    clientSet = null;
                } else if (w0.equals("INSERT")) {
                    clientSet.add(s);
                } else {
                    throw new StatementError(s, "only INSERT statements may stand between BEGIN STATEMENT SET; and END;");
                }
                continue;
            }
            switch (w0) {
                case "SET":
                    applySet(r, tEnv, s);
                    break;
                case "RESET":
                    applyReset(tEnv, s);
                    break;
                case "BEGIN":
                    if (!w1.equals("STATEMENT")) {
                        throw new StatementError(s, "unsupported statement: " + w0);
                    }
                    clientSet = new ArrayList<>();
                    clientSetBegin = s;
                    break;
                case "EXECUTE":
                case "STATEMENT":
                case "INSERT":
                    units.add(unitOf(s, w0.equals("EXECUTE") ? "EXECUTE" : null));
                    break;
                case "COMPILE":
                    // COMPILE [AND EXECUTE] PLAN '<file>' [IF NOT EXISTS] FOR <insert | statement set>:
                    // plan what follows FOR; write nothing.
                    units.add(unitOf(s, "FOR"));
                    break;
                case "SELECT":
                case "WITH":
                case "VALUES":
                case "TABLE":
                    throw new StatementError(s, "a top-level query would run as its own job; the harness plans only INSERTs and statement sets");
                case "CREATE":
                case "REPLACE":
                    if (w.contains("TABLE") && SqlScript.hasTopLevelAs(s.text)) {
                        throw new StatementError(s, "CREATE TABLE ... AS SELECT submits a job when executed; the harness does not plan it");
                    }
                    execute(tEnv, s);
                    break;
                default:
                    // ALTER, DROP, USE, LOAD/UNLOAD MODULE, SHOW, DESCRIBE, EXPLAIN, ...
                    execute(tEnv, s);
                    break;
            }
        }
        if (clientSet != null) {
            throw new StatementError(clientSetBegin, "BEGIN STATEMENT SET without END");
        }
        r.ddlMs = ms(t0);
        for (String name : tEnv.listTemporaryViews()) {
            View v = new View(name);
            for (Column c : tEnv.from("`" + name.replace("`", "``") + "`").getResolvedSchema().getColumns()) {
                v.columns.add(new String[] {c.getName(), c.getDataType().getLogicalType().asSummaryString()});
            }
            r.views.add(v);
        }
        if (units.isEmpty()) {
            throw new StatementError(statements.isEmpty() ? new SqlScript.Statement("", 1, 1, List.of()) : statements.get(statements.size() - 1),
                    "no INSERT or statement set: nothing to plan");
        }
        for (Unit u : units) {
            plan(r, tEnv, u);
        }
    }

    private static Unit unitOf(SqlScript.Statement s, String cutAfterWord) throws StatementError {
        String text = s.text;
        int line = s.line;
        if (cutAfterWord != null) {
            int at = SqlScript.offsetAfterWord(text, cutAfterWord);
            if (at < 0) {
                throw new StatementError(s, "nothing to plan after " + cutAfterWord);
            }
            line += countNewlines(text, at);
            text = text.substring(at);
        }
        List<String> w = SqlScript.leadingWords(text, 2);
        if (s.isStatementSet()) {
            return new Unit(s, s.body, text, line);
        }
        if (!w.isEmpty() && w.get(0).equals("INSERT")) {
            SqlScript.Statement insert = new SqlScript.Statement(text, line, 1, List.of());
            return new Unit(s, List.of(insert), text, line);
        }
        throw new StatementError(s, "unsupported statement (the harness plans INSERT and STATEMENT SET only): " + String.join(" ", SqlScript.leadingWords(s.text, 3)));
    }

    private static Unit clientStyleUnit(SqlScript.Statement begin, List<SqlScript.Statement> inserts) throws StatementError {
        if (inserts.isEmpty()) {
            throw new StatementError(begin, "empty statement set");
        }
        StringBuilder sb = new StringBuilder("STATEMENT SET BEGIN\n");
        for (SqlScript.Statement i : inserts) {
            sb.append(i.text).append(";\n");
        }
        sb.append("END");
        return new Unit(begin, inserts, sb.toString(), begin.line);
    }

    private void plan(Result r, TableEnvironment tEnv, Unit u) throws StatementError {
        long t0 = System.nanoTime();
        StatementSet set = tEnv.createStatementSet();
        for (SqlScript.Statement insert : u.inserts) {
            try {
                set.addInsertSql(insert.text); // parses and validates this INSERT
            } catch (Throwable e) {
                throw new StatementError(insert, insert.line, e);
            }
        }
        List<Sink> planSinks;
        try {
            CompiledPlan plan = set.compilePlan(); // optimizes; ExecNode graph as JSON; no execution
            String json = plan.asJsonString();
            r.plans.add(json);
            planSinks = sinksOfPlan(json);
            r.compiledPlan = true;
        } catch (Throwable e) {
            throw new StatementError(u.statement, u.planLine, e);
        }
        r.compileMs += ms(t0);

        // EXPLAIN the statement as written (so Flink's own parser reads the STATEMENT SET syntax);
        // JSON_EXECUTION_PLAN also translates the plan to Transformations, which creates the
        // connectors' runtime providers and the formats' (de)serialization schemas.
        long t1 = System.nanoTime();
        String explain;
        try {
            TableResult result = tEnv.executeSql("EXPLAIN CHANGELOG_MODE, JSON_EXECUTION_PLAN " + u.planText);
            CloseableIterator<Row> rows = result.collect();
            explain = String.valueOf(rows.next().getField(0));
            rows.close();
        } catch (Throwable e) {
            throw new StatementError(u.statement, u.planLine, e);
        }
        r.explainMs += ms(t1);
        r.explains.add(explain);

        List<String[]> explained = sinksOfExplain(explain);
        List<String> fromPlan = new ArrayList<>();
        for (Sink s : planSinks) {
            fromPlan.add(summaryOf(s.identifier) + " " + s.changelogMode);
        }
        List<String> fromExplain = new ArrayList<>();
        for (String[] e : explained) {
            fromExplain.add(e[0] + " " + e[1]);
        }
        Collections.sort(fromPlan);
        Collections.sort(fromExplain);
        if (!fromPlan.equals(fromExplain)) {
            r.warnings.add("sink changelog modes differ between the compiled plan " + fromPlan + " and EXPLAIN " + fromExplain);
        }
        r.sinks.addAll(planSinks);
    }

    // --------------------------------------------------------------------------------------------
    // SET / RESET

    private static final Pattern SET_QUOTED =
            Pattern.compile("(?s)^SET\\s+'((?:[^']|'')*)'\\s*=\\s*'((?:[^']|'')*)'\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SET_PLAIN =
            Pattern.compile("(?s)^SET\\s+([^\\s=']+)\\s*=\\s*(.*?)\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern RESET_QUOTED =
            Pattern.compile("(?s)^RESET\\s+'((?:[^']|'')*)'\\s*$", Pattern.CASE_INSENSITIVE);

    private void applySet(Result r, TableEnvironment tEnv, SqlScript.Statement s) throws StatementError {
        String text = s.text.trim();
        String key;
        String value;
        Matcher m = SET_QUOTED.matcher(text);
        if (m.matches()) {
            key = m.group(1).replace("''", "'");
            value = m.group(2).replace("''", "'");
        } else {
            Matcher p = SET_PLAIN.matcher(text);
            if (!p.matches()) {
                throw new StatementError(s, "cannot read SET statement; expected SET 'key' = 'value'");
            }
            key = p.group(1);
            value = p.group(2);
            r.warnings.add("line " + s.line + ": SET without quotes (" + key + "); Flink's SQL parser wants SET 'key' = 'value'");
        }
        ConfigKeys.Entry entry = configKeys.lookup(key);
        if (entry == null && ConfigKeys.isUnchecked(key)) {
            r.warnings.add("line " + s.line + ": SET '" + key + "' not checked: its module is not on the harness class path");
        } else if (entry == null) {
            String msg = "SET '" + key + "': no configuration option of Flink " + PlannerCheck.flinkVersion()
                    + " has this key (looked in every org.apache.flink *Options class on the harness class path), so Flink would ignore it";
            if (unknownSetKeysAreErrors) {
                throw new StatementError(s, msg);
            }
            r.warnings.add("line " + s.line + ": " + msg);
        } else {
            if (entry.replacedBy != null) {
                r.warnings.add("line " + s.line + ": SET '" + key + "' is " + (entry.deprecated ? "a deprecated" : "a fallback")
                        + " key of '" + entry.replacedBy + "' (" + entry.declaredIn + ")");
            } else if (entry.deprecated) {
                r.warnings.add("line " + s.line + ": SET '" + key + "' is deprecated (" + entry.declaredIn + ")");
            }
            String bad = ConfigKeys.checkValue(entry, key, value);
            if (bad != null) {
                throw new StatementError(s, "SET '" + key + "' = '" + value + "': " + bad);
            }
        }
        tEnv.getConfig().set(key, value);
    }

    private static void applyReset(TableEnvironment tEnv, SqlScript.Statement s) throws StatementError {
        Matcher m = RESET_QUOTED.matcher(s.text.trim());
        if (!m.matches()) {
            throw new StatementError(s, "cannot read RESET statement; expected RESET 'key'");
        }
        tEnv.getConfig().getConfiguration().removeKey(m.group(1).replace("''", "'"));
    }

    private static void execute(TableEnvironment tEnv, SqlScript.Statement s) throws StatementError {
        try {
            tEnv.executeSql(s.text);
        } catch (Throwable e) {
            throw new StatementError(s, s.line, e);
        }
    }

    // --------------------------------------------------------------------------------------------
    // Reading sinks and their changelog modes

    /** Sinks from the compiled plan: each stream-exec-sink node's inputChangelogMode. */
    static List<Sink> sinksOfPlan(String planJson) throws Exception {
        List<Sink> sinks = new ArrayList<>();
        JsonNode root = JSON.readTree(planJson);
        for (JsonNode node : root.path("nodes")) {
            String type = node.path("type").asText("");
            if (!type.startsWith("stream-exec-sink")) {
                continue;
            }
            String identifier = node.path("dynamicTableSink").path("table").path("identifier").asText("");
            List<String> kinds = new ArrayList<>();
            for (JsonNode k : node.path("inputChangelogMode")) {
                kinds.add(shortKind(k.asText()));
            }
            // "requireUpsertMaterialize" in the plans of 1.20 and 2.2 (also printed by EXPLAIN as upsertMaterialize=[true])
            boolean upsertMaterialize =
                    node.path("requireUpsertMaterialize").asBoolean(false) || node.path("upsertMaterialize").asBoolean(false);
            List<String> parts = identifierParts(identifier);
            String table = parts.isEmpty() ? identifier : parts.get(parts.size() - 1);
            sinks.add(new Sink(table, identifier, String.join(",", kinds), upsertMaterialize));
        }
        return sinks;
    }

    /**
     * Sinks from EXPLAIN's "Optimized Physical Plan": for each top-level {@code Sink(table=[...])}
     * line, the changelogMode of its input (the next line). The Sink's own changelogMode is NONE.
     */
    static List<String[]> sinksOfExplain(String explain) {
        List<String[]> out = new ArrayList<>();
        int from = explain.indexOf("== Optimized Physical Plan ==");
        if (from < 0) {
            return out;
        }
        int to = explain.indexOf("== Optimized Execution Plan ==", from);
        String[] lines = explain.substring(from, to < 0 ? explain.length() : to).split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            String l = lines[i];
            if (!l.startsWith("Sink(table=[")) {
                continue;
            }
            // Flink 2.x prints targetColumns=[…] between the table and its fields.
            int end = firstIndex(l, "], targetColumns=[", "], fields=[");
            String table = end < 0 ? l : l.substring("Sink(table=[".length(), end);
            String child = lines[i + 1];
            int at = child.lastIndexOf("changelogMode=[");
            String mode = at < 0 ? "?" : child.substring(at + "changelogMode=[".length(), child.indexOf(']', at));
            out.add(new String[] {table, mode});
        }
        return out;
    }

    /** The first position of any of the markers in s, or -1. */
    private static int firstIndex(String s, String... markers) {
        int best = -1;
        for (String m : markers) {
            int at = s.indexOf(m);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    private static String shortKind(String rowKind) {
        switch (rowKind) {
            case "INSERT":
                return "I";
            case "UPDATE_BEFORE":
                return "UB";
            case "UPDATE_AFTER":
                return "UA";
            case "DELETE":
                return "D";
            default:
                return rowKind;
        }
    }

    /** Parts of a serialized ObjectIdentifier: {@code `cat`.`db`.`t``x`} → [cat, db, t`x]. */
    static List<String> identifierParts(String id) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < id.length()) {
            if (id.charAt(i) != '`') {
                return List.of();
            }
            StringBuilder sb = new StringBuilder();
            i++;
            while (i < id.length()) {
                char c = id.charAt(i);
                if (c == '`') {
                    if (i + 1 < id.length() && id.charAt(i + 1) == '`') {
                        sb.append('`');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                sb.append(c);
                i++;
            }
            parts.add(sb.toString());
            if (i < id.length() && id.charAt(i) == '.') {
                i++;
            }
        }
        return parts;
    }

    /** ObjectIdentifier#asSummaryString: the parts joined with '.' (as EXPLAIN prints them). */
    private static String summaryOf(String identifier) {
        List<String> parts = identifierParts(identifier);
        return parts.isEmpty() ? identifier : String.join(".", parts);
    }

    // --------------------------------------------------------------------------------------------

    /** Flink's exception message with the distinct messages of its causes, class names included. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.getClass().getName()).append(": ").append(e.getMessage());
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(e);
        Throwable c = e.getCause();
        while (c != null && seen.add(c)) {
            String m = c.getMessage();
            sb.append("\nCaused by: ").append(c.getClass().getName());
            if (m != null && !sb.toString().contains(m)) {
                sb.append(": ").append(m);
            }
            c = c.getCause();
        }
        return sb.toString();
    }

    private static int countNewlines(String s, int end) {
        int n = 0;
        for (int i = 0; i < end; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
