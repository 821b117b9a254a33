/*
 * pipec test: one JVM with a Flink MiniCluster (random ports, loopback only) that runs pipeline tests one after
 * another. Each request line on standard input is a test job as JSON; each answer is one JSON line on standard
 * output. Everything else (Flink's logging) goes to standard error.
 *
 *   request:  {"id": "...", "settings": {"k": "v"}, "statements": ["CREATE ...", ...], "run": "EXECUTE STATEMENT SET ...",
 *              "sinks": ["table", ...], "timeoutMs": 60000}
 *   answer:   {"kind": "result", "id": "...", "ok": true, "sinks": {"table": [{"kind": "+I", "row": {...}}]}, "ms": 812}
 *             {"kind": "result", "id": "...", "ok": false, "error": "...", "statement": 2, "ms": 40}
 *
 * Each test gets a fresh table environment on the shared cluster, so nothing leaks between tests but the JIT.
 */
package dev.pipec.testrunner;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

public final class TestRunner {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A small job run once before the runner reports ready: it loads and JIT-compiles the planner, the code
     * generator and the runtime (seconds on a cold JVM), while the CLI is still checking the project, so the
     * first real test costs what every later one does.
     */
    private static final String WARM_UP =
            "{\"id\": \"warm-up\", \"timeoutMs\": 60000, \"settings\": {\"parallelism.default\": \"1\"}, \"sinks\": [\"warm_up\"],"
                    + " \"statements\": [\"CREATE TEMPORARY TABLE warm_up (k INT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (k) NOT ENFORCED)"
                    + " WITH ('connector' = 'pipec-collect', 'table' = 'warm_up')\"],"
                    + " \"run\": \"INSERT INTO warm_up SELECT k, COUNT(*) FROM (VALUES (1), (2), (1)) AS t(k) GROUP BY k\"}";

    private TestRunner() {}

    public static void main(String[] args) throws Exception {
        // Answers go to the real standard output; anything a library prints goes to standard error.
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);

        long started = System.currentTimeMillis();
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        int slots = 4;
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
        cluster.start();
        URI rest = cluster.getRestAddress().get();

        long warmUpStarted = System.currentTimeMillis();
        ObjectNode warmUp = runOne(MAPPER.readTree(WARM_UP), rest);
        Collected.clear();

        ObjectNode ready = MAPPER.createObjectNode();
        ready.put("kind", "ready");
        ready.put("flinkVersion", EnvironmentInformation.getVersion());
        ready.put("startupMs", System.currentTimeMillis() - started);
        ready.put("warmUpMs", System.currentTimeMillis() - warmUpStarted);
        if (!warmUp.get("ok").asBoolean()) ready.put("warmUpError", warmUp.get("error").asText());
        out.println(MAPPER.writeValueAsString(ready));

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) continue;
                out.println(MAPPER.writeValueAsString(runOne(MAPPER.readTree(line), rest)));
            }
        } finally {
            cluster.closeAsync().get(30, TimeUnit.SECONDS);
        }
    }

    private static ObjectNode runOne(JsonNode request, URI rest) {
        long started = System.currentTimeMillis();
        ObjectNode answer = MAPPER.createObjectNode();
        answer.put("kind", "result");
        answer.set("id", request.get("id"));
        Collected.clear();
        int statement = -1;
        Optional<JobClient> job = Optional.empty();
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort(), new Configuration());
            StreamTableEnvironment tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
            Iterator<Map.Entry<String, JsonNode>> settings = request.get("settings").fields();
            while (settings.hasNext()) {
                Map.Entry<String, JsonNode> s = settings.next();
                tEnv.getConfig().set(s.getKey(), s.getValue().asText());
            }
            JsonNode statements = request.get("statements");
            for (statement = 0; statement < statements.size(); statement++) tEnv.executeSql(withoutSemicolon(statements.get(statement).asText()));
            TableResult result = tEnv.executeSql(withoutSemicolon(request.get("run").asText()));
            job = result.getJobClient();
            statement = -1;
            result.await(request.get("timeoutMs").asLong(), TimeUnit.MILLISECONDS);
            ObjectNode sinks = answer.putObject("sinks");
            for (JsonNode table : request.get("sinks")) {
                ArrayNode changes = sinks.putArray(table.asText());
                changes.addAll(Collected.take(table.asText()));
            }
            answer.put("ok", true);
        } catch (Throwable e) {
            answer.put("ok", false);
            answer.put("error", e instanceof TimeoutException ? "the job did not finish within " + request.get("timeoutMs").asLong() + " ms" : rootMessage(e));
            if (statement >= 0) answer.put("statement", statement);
            job.ifPresent(j -> j.cancel());
        }
        answer.put("ms", System.currentTimeMillis() - started);
        return answer;
    }

    private static String withoutSemicolon(String sql) {
        String s = sql.strip();
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder chain = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            // An exception without a message (a NullPointerException in generated code) is named by its class and place.
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getName() + (t.getStackTrace().length > 0 ? " at " + t.getStackTrace()[0] : "");
            if (!chain.toString().contains(message)) chain.append("\ncaused by: ").append(message);
        }
        return chain.toString();
    }
}
