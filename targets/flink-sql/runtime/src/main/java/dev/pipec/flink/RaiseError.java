package dev.pipec.flink;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code PIPEC_RAISE_ERROR(message)}: fails the job with the message. Typed BOOLEAN so it fits a filter
 * ({@code WHERE ok OR PIPEC_RAISE_ERROR('…')}); it never returns, also not for a NULL message. Not deterministic,
 * so the planner never calls it while planning.
 */
public final class RaiseError extends ScalarFunction {
    private static final long serialVersionUID = 1L;

    public Boolean eval(String message) {
        throw new PipecError(message == null ? "PIPEC_RAISE_ERROR was called with a NULL message" : message);
    }

    @Override
    public boolean isDeterministic() {
        return false;
    }

    /** The job failure a raised error causes; its message is the caller's, unchanged. */
    public static final class PipecError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PipecError(String message) {
            super(message);
        }
    }
}
