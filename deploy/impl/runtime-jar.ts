/**
 * The pipec Flink runtime jar (targets/flink-sql/runtime/README.md) for a job on a self-managed cluster: a job
 * whose SQL uses the runtime — a `pipec-guard` format or a `dev.pipec.flink.` class — needs the jar in its
 * SQL Gateway session, unless the cluster has it in Flink's lib/ (then no location is configured). Pure.
 */

/** Whether the generated SQL names something only the runtime jar provides. */
export function usesRuntime(sql: string): boolean {
  return /'pipec-guard'|'dev\.pipec\.flink\./.test(sql);
}

/** The statements that load the jar into the session, before the job's own: none when unused or unconfigured. */
export function runtimeJarStatements(sql: string, jar: string | undefined): string[] {
  if (jar === undefined || jar === '' || !usesRuntime(sql)) return [];
  return [`ADD JAR '${jar.replaceAll("'", "''")}'`];
}
