package dev.pipec.plannercheck;

import org.apache.flink.runtime.util.EnvironmentInformation;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Flink planner harness: plans many job.sql files in one JVM and prints one JSON line per file.
 *
 * <pre>
 * java -cp classes:&lt;flink class path&gt; dev.pipec.plannercheck.PlannerCheck [options] [job.sql ...]
 *   --list FILE            also read job.sql paths from FILE, one per line
 *   --stdin                read job.sql paths from standard input, one per line, answering each at once
 *   --substitutions FILE   a JSON object {"placeholder": "value"}; each placeholder is replaced
 *                          literally (longest first) in every file before planning
 *   --unknown-set-keys error|warn   a SET key no Flink option declares (default: error)
 *   --split                only split the files into statements and print them (no planning)
 *   --dump-dir DIR         write each file's compiled plan(s) and EXPLAIN output into DIR
 * </pre>
 *
 * Standard output carries JSON lines only; logging (slf4j-simple, WARN and up) goes to standard
 * error, and so does anything else that prints to System.out.
 *
 * <pre>
 * {"kind":"harness","flinkVersion":"1.20.3","javaVersion":"17.0.15","jvmStartupMs":412,"configKeys":1234}
 * {"kind":"file","file":"a/job.sql","ok":true,"sinks":[{"table":"t","identifier":"`default_catalog`.`default_database`.`t`",
 *   "changelogMode":"I,UA,D","upsertMaterialize":false}],"compiledPlan":true,"warnings":[],"timeMs":800,...}
 * {"kind":"file","file":"b/job.sql","ok":false,"error":{"message":"...","statement":"INSERT ...","line":12},...}
 * {"kind":"done","files":2,"failed":1,"totalMs":5300}
 * </pre>
 */
public final class PlannerCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}\\s]+\\}");

    private PlannerCheck() {}

    public static void main(String[] args) throws Exception {
        // Quiet logging before any logger exists: WARN and ERROR, to stderr.
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);

        List<String> files = new ArrayList<>();
        boolean stdin = false;
        boolean splitOnly = false;
        boolean unknownKeysAreErrors = true;
        Path dumpDir = null;
        Map<String, String> substitutions = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--list":
                    for (String line : Files.readAllLines(Path.of(need(args, ++i, a)), StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            files.add(line.strip());
                        }
                    }
                    break;
                case "--stdin":
                    stdin = true;
                    break;
                case "--split":
                    splitOnly = true;
                    break;
                case "--substitutions":
                    JsonNode m = JSON.readTree(Files.readString(Path.of(need(args, ++i, a)), StandardCharsets.UTF_8));
                    Iterator<Map.Entry<String, JsonNode>> it = m.fields();
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> e = it.next();
                        substitutions.put(e.getKey(), e.getValue().asText());
                    }
                    break;
                case "--dump-dir":
                    dumpDir = Path.of(need(args, ++i, a));
                    Files.createDirectories(dumpDir);
                    break;
                case "--unknown-set-keys":
                    String v = need(args, ++i, a);
                    if (!v.equals("error") && !v.equals("warn")) {
                        throw new IllegalArgumentException("--unknown-set-keys takes error or warn");
                    }
                    unknownKeysAreErrors = v.equals("error");
                    break;
                default:
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    files.add(a);
            }
        }

        long started = System.nanoTime();
        if (splitOnly) {
            for (String f : files) {
                out.println(JSON.writeValueAsString(splitResult(f, substitute(Files.readString(Path.of(f), StandardCharsets.UTF_8), substitutions))));
            }
            return;
        }

        ConfigKeys keys = ConfigKeys.scanClassPath();
        ObjectNode hello = JSON.createObjectNode();
        hello.put("kind", "harness");
        hello.put("flinkVersion", flinkVersion());
        hello.put("javaVersion", System.getProperty("java.version"));
        hello.put("jvmStartupMs", System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime());
        hello.put("configKeys", keys.size());
        out.println(JSON.writeValueAsString(hello));

        JobPlanner planner = new JobPlanner(keys, unknownKeysAreErrors);
        int failed = 0;
        int count = 0;
        for (String f : files) {
            failed += checkOne(out, planner, f, substitutions, dumpDir, count) ? 0 : 1;
            count++;
        }
        if (stdin) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                failed += checkOne(out, planner, line.strip(), substitutions, dumpDir, count) ? 0 : 1;
                count++;
            }
        }
        ObjectNode done = JSON.createObjectNode();
        done.put("kind", "done");
        done.put("files", count);
        done.put("failed", failed);
        done.put("totalMs", (System.nanoTime() - started) / 1_000_000);
        out.println(JSON.writeValueAsString(done));
        out.flush();
        // The planner leaves non-daemon threads behind in some versions; we are done.
        System.exit(0);
    }

    private static boolean checkOne(
            PrintStream out, JobPlanner planner, String file, Map<String, String> substitutions, Path dumpDir, int index)
            throws Exception {
        long t0 = System.nanoTime();
        JobPlanner.Result r;
        try {
            String sql = substitute(Files.readString(Path.of(file), StandardCharsets.UTF_8), substitutions);
            r = planner.check(file, sql);
            Set<String> left = new TreeSet<>();
            Matcher m = PLACEHOLDER.matcher(sql);
            while (m.find()) {
                left.add(m.group());
            }
            if (!left.isEmpty()) {
                r.warnings.add("placeholders left unsubstituted (planned as literal text): " + String.join(", ", left));
            }
        } catch (Exception e) {
            r = new JobPlanner.Result(file);
            r.ok = false;
            r.error = new JobPlanner.Failure("cannot read " + file + ": " + e, null, null);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (dumpDir != null) {
            String base = String.format("%03d-%s", index, Path.of(file).getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_"));
            for (int i = 0; i < r.plans.size(); i++) {
                Files.writeString(dumpDir.resolve(base + "." + i + ".plan.json"), r.plans.get(i), StandardCharsets.UTF_8);
            }
            for (int i = 0; i < r.explains.size(); i++) {
                Files.writeString(dumpDir.resolve(base + "." + i + ".explain.txt"), r.explains.get(i), StandardCharsets.UTF_8);
            }
        }
        out.println(JSON.writeValueAsString(toJson(r, ms)));
        return r.ok;
    }

    private static ObjectNode toJson(JobPlanner.Result r, long ms) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "file");
        o.put("file", r.file);
        o.put("ok", r.ok);
        if (r.error != null) {
            ObjectNode e = o.putObject("error");
            e.put("message", r.error.message);
            if (r.error.statement != null) {
                e.put("statement", r.error.statement);
            }
            if (r.error.line != null) {
                e.put("line", r.error.line);
            }
        }
        ArrayNode sinks = o.putArray("sinks");
        for (JobPlanner.Sink s : r.sinks) {
            ObjectNode so = sinks.addObject();
            so.put("table", s.table);
            so.put("identifier", s.identifier);
            so.put("changelogMode", s.changelogMode);
            so.put("upsertMaterialize", s.upsertMaterialize);
        }
        ArrayNode views = o.putArray("views");
        for (JobPlanner.View v : r.views) {
            ObjectNode vo = views.addObject();
            vo.put("name", v.name);
            ArrayNode columns = vo.putArray("columns");
            for (String[] c : v.columns) {
                ObjectNode co = columns.addObject();
                co.put("name", c[0]);
                co.put("type", c[1]);
            }
        }
        o.put("compiledPlan", r.compiledPlan);
        ArrayNode w = o.putArray("warnings");
        r.warnings.forEach(w::add);
        o.put("timeMs", ms);
        ObjectNode t = o.putObject("phaseMs");
        t.put("ddl", r.ddlMs);
        t.put("compile", r.compileMs);
        t.put("explain", r.explainMs);
        return o;
    }

    private static ObjectNode splitResult(String file, String sql) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "split");
        o.put("file", file);
        try {
            o.set("statements", statementsJson(SqlScript.split(sql)));
            o.put("ok", true);
        } catch (SqlScript.SplitException e) {
            o.put("ok", false);
            ObjectNode err = o.putObject("error");
            err.put("message", e.getMessage());
            err.put("line", e.line);
        }
        return o;
    }

    private static ArrayNode statementsJson(List<SqlScript.Statement> statements) {
        ArrayNode a = JSON.createArrayNode();
        for (SqlScript.Statement s : statements) {
            ObjectNode o = a.addObject();
            o.put("text", s.text);
            o.put("line", s.line);
            o.put("column", s.column);
            if (s.isStatementSet()) {
                o.set("body", statementsJson(s.body));
            }
        }
        return a;
    }

    /** Replaces each placeholder literally, longest first (so a placeholder may prefix another). */
    static String substitute(String sql, Map<String, String> substitutions) {
        List<String> keys = new ArrayList<>(substitutions.keySet());
        keys.sort((a, b) -> b.length() - a.length());
        String s = sql;
        for (String k : keys) {
            if (!k.isEmpty()) {
                s = s.replace(k, substitutions.get(k));
            }
        }
        return s;
    }

    static String flinkVersion() {
        return EnvironmentInformation.getVersion();
    }

    private static String need(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
