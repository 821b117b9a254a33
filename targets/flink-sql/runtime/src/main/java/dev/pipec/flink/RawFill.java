package dev.pipec.flink;

/** When a guarded format copies the record's bytes into its raw column. */
public enum RawFill {
    /** Only on a record that failed to decode (the value: good rows do not carry their bytes through the job). */
    ON_ERROR,
    /** On every record (the key: the value may fail after the key decoded). */
    ALWAYS;

    static RawFill parse(String text) {
        switch (text) {
            case "on-error":
                return ON_ERROR;
            case "always":
                return ALWAYS;
            default:
                throw new IllegalArgumentException("'" + text + "' is not a raw-fill mode of the pipec-guard format; use on-error or always");
        }
    }
}
