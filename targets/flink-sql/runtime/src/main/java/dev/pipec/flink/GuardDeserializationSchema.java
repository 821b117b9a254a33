package dev.pipec.flink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.util.Collector;

/**
 * The guard at run time: decodes with the inner format into a buffer and, only when that succeeded, widens each
 * row with the guard's columns. A record that failed is rethrown, dropped, or emitted as a dead-letter row.
 * Rows are {@link GenericRowData}: the Kafka connector casts the value rows to it.
 */
final class GuardDeserializationSchema implements DeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;
    /** Long enough for a cause chain, short enough for a Kafka header. */
    static final int MAX_ERROR_CHARS = 4000;

    private final DeserializationSchema<RowData> inner;
    private final TypeInformation<RowData> producedType;
    private final OnError onError;
    private final RawFill rawFill;
    private final int arity;
    private final int[] dataPositions;
    private final RowData.FieldGetter[] getters;
    private final boolean[] required;
    private final String[] dataNames;
    private final String errorColumn;
    private final int errorPos;
    private final int rawPos;

    private transient List<RowData> buffer;
    private transient Collector<RowData> bufferCollector;
    private transient Counter skipped;
    private transient Counter deadLettered;

    GuardDeserializationSchema(DeserializationSchema<RowData> inner, TypeInformation<RowData> producedType, OnError onError, RawFill rawFill, int arity, int[] dataPositions, LogicalType[] dataTypes, boolean[] required, String[] dataNames, String errorColumn, int errorPos, int rawPos) {
        this.inner = inner;
        this.producedType = producedType;
        this.onError = onError;
        this.rawFill = rawFill;
        this.arity = arity;
        this.dataPositions = dataPositions;
        this.getters = new RowData.FieldGetter[dataTypes.length];
        for (int i = 0; i < dataTypes.length; i++) getters[i] = RowData.createFieldGetter(dataTypes[i], i);
        this.required = required;
        this.dataNames = dataNames;
        this.errorColumn = errorColumn;
        this.errorPos = errorPos;
        this.rawPos = rawPos;
    }

    @Override
    public void open(InitializationContext context) throws Exception {
        inner.open(context);
        buffer = new ArrayList<>();
        bufferCollector = new Collector<>() {
            @Override
            public void collect(RowData row) {
                buffer.add(row);
            }

            @Override
            public void close() {}
        };
        // A group per guard (named by its error column): a guarded key and value share the source's group, where a
        // second counter of the same name would be dropped.
        MetricGroup group = context.getMetricGroup().addGroup(errorColumn);
        skipped = group.counter("pipecRecordsSkipped");
        deadLettered = group.counter("pipecRecordsDeadLettered");
    }

    @Override
    public void deserialize(byte[] message, Collector<RowData> out) throws IOException {
        buffer.clear();
        try {
            inner.deserialize(message, bufferCollector);
            if (message == null && buffer.isEmpty()) checkNoneRequired();
            for (RowData row : buffer) checkRequired(row);
        } catch (Exception e) {
            buffer.clear();
            switch (onError) {
                case FAIL:
                    throw e instanceof IOException ? (IOException) e : new IOException(e);
                case SKIP:
                    skipped.inc();
                    return;
                case DEAD_LETTER:
                    deadLettered.inc();
                    out.collect(deadLetterRow(message, e));
                    return;
            }
        }
        for (RowData row : buffer) out.collect(widen(row, message));
        buffer.clear();
    }

    /** A format that decodes a missing field as NULL (JSON) must not pass NULL into a NOT NULL column. */
    private void checkRequired(RowData row) throws IOException {
        for (int i = 0; i < required.length; i++) {
            if (required[i] && row.isNullAt(i)) throw new IOException("column " + dataNames[i] + " is NULL, and the source declares it NOT NULL");
        }
    }

    /** A NULL key or value decodes to no row (the record would vanish): bad when a column is declared NOT NULL. */
    private void checkNoneRequired() throws IOException {
        for (int i = 0; i < required.length; i++) {
            if (required[i]) throw new IOException("the record's bytes are NULL, and the source declares " + dataNames[i] + " NOT NULL");
        }
    }

    private GenericRowData widen(RowData row, byte[] message) {
        // Without the guard's columns the inner row is the row (avro, json and protobuf emit GenericRowData).
        if (row instanceof GenericRowData && dataPositions.length == arity) return (GenericRowData) row;
        GenericRowData wide = new GenericRowData(row.getRowKind(), arity);
        if (row instanceof GenericRowData) {
            GenericRowData generic = (GenericRowData) row;
            for (int i = 0; i < dataPositions.length; i++) wide.setField(dataPositions[i], generic.getField(i));
        } else {
            for (int i = 0; i < dataPositions.length; i++) wide.setField(dataPositions[i], getters[i].getFieldOrNull(row));
        }
        if (rawPos >= 0 && rawFill == RawFill.ALWAYS) wide.setField(rawPos, message);
        return wide;
    }

    private GenericRowData deadLetterRow(byte[] message, Exception e) {
        GenericRowData row = new GenericRowData(arity);
        row.setField(errorPos, StringData.fromString(errorText(e)));
        if (rawPos >= 0) row.setField(rawPos, message);
        return row;
    }

    /** The error and its causes on one line, e.g. {@code IOException: Failed to deserialize Avro record. <- …}. */
    static String errorText(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < MAX_ERROR_CHARS; t = t.getCause() == t ? null : t.getCause()) {
            if (text.length() > 0) text.append(" <- ");
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) text.append(": ").append(t.getMessage());
        }
        return text.length() <= MAX_ERROR_CHARS ? text.toString() : text.substring(0, MAX_ERROR_CHARS);
    }

    @Override
    public RowData deserialize(byte[] message) throws IOException {
        throw new UnsupportedOperationException("the pipec-guard format emits through a collector");
    }

    @Override
    public boolean isEndOfStream(RowData nextElement) {
        return false;
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
