/*
 * pipec local: one JVM with a Flink MiniCluster (JobManager + TaskManager, the real Dispatcher REST API on a
 * fixed port) and the Flink SQL Gateway pointed at it.
 *
 * Why one JVM instead of StandaloneSessionClusterEntrypoint + TaskManagerRunner + SqlGateway: flink-dist is not
 * on Maven Central, and three JVMs (each with its own JIT, metaspace and heap) cost ~1.5 GB more and start
 * noticeably slower on a 2-core machine. MiniCluster runs the same Dispatcher, JobMaster and TaskExecutor code
 * and serves the same REST endpoints (jobs, savepoints, stop-with-savepoint, checkpoints). The gateway reaches
 * it over REST (execution.target=remote) exactly as it would reach a session cluster.
 *
 * Usage: FLINK_CONF_DIR=<dir with config.yaml> java -cp <launcher>:<flink lib>/* dev.pipec.local.PipecFlinkLocal
 * Everything (ports, memory, state dirs) comes from config.yaml, written by local/services/flink.ts.
 */
package dev.pipec.local;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.table.gateway.SqlGateway;

public final class PipecFlinkLocal {
    private PipecFlinkLocal() {}

    public static void main(String[] args) throws Exception {
        String confDir = System.getenv("FLINK_CONF_DIR");
        if (confDir == null || confDir.isEmpty()) {
            System.err.println("pipec-flink-local: FLINK_CONF_DIR is not set");
            System.exit(2);
        }
        Configuration conf = GlobalConfiguration.loadConfiguration(confDir);
        int slots = conf.get(TaskManagerOptions.NUM_TASK_SLOTS);

        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        System.out.println("pipec-flink-local: MiniCluster REST at " + cluster.getRestAddress().get());

        // Closing the cluster on SIGTERM lets running jobs be cancelled cleanly (the gateway adds its own hook).
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        cluster.closeAsync().get(20, TimeUnit.SECONDS);
                                    } catch (Exception e) {
                                        System.err.println("pipec-flink-local: MiniCluster close: " + e);
                                    }
                                },
                                "pipec-minicluster-shutdown"));

        // The gateway reads the same FLINK_CONF_DIR; these dynamic options point it at the cluster above.
        String restAddress = conf.get(RestOptions.ADDRESS);
        int restPort = conf.get(RestOptions.PORT);
        List<String> gatewayArgs = new ArrayList<>();
        gatewayArgs.add("-Dexecution.target=remote");
        gatewayArgs.add("-Drest.address=" + restAddress);
        gatewayArgs.add("-Drest.port=" + restPort);
        for (String arg : args) {
            gatewayArgs.add(arg);
        }
        // Blocks until the JVM is asked to stop.
        SqlGateway.main(gatewayArgs.toArray(new String[0]));
    }
}
