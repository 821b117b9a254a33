package dev.pipec.flink;

/** What a guarded source does with a record its inner format cannot decode. */
public enum OnError {
    /** Rethrow the inner format's error: the job fails (Flink's behaviour without the guard). */
    FAIL,
    /** Drop the record and count it in {@code pipecRecordsSkipped}. */
    SKIP,
    /** Emit a row whose data columns are NULL and whose error and raw columns are set; count it in {@code pipecRecordsDeadLettered}. */
    DEAD_LETTER;

    static OnError parse(String text) {
        switch (text) {
            case "fail":
                return FAIL;
            case "skip":
                return SKIP;
            case "dead-letter":
                return DEAD_LETTER;
            default:
                throw new IllegalArgumentException("'" + text + "' is not an on-error mode of the pipec-guard format; use fail, skip or dead-letter");
        }
    }
}
