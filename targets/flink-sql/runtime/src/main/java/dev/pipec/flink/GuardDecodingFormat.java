package dev.pipec.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.Projection;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;

/** The guard at planning time: splits the row type into the inner format's columns and the guard's own two. */
final class GuardDecodingFormat implements DecodingFormat<DeserializationSchema<RowData>> {
    private final DecodingFormat<DeserializationSchema<RowData>> inner;
    private final OnError onError;
    private final String errorColumn;
    private final String rawColumn;
    private final RawFill rawFill;
    private final Set<String> notNull;

    GuardDecodingFormat(DecodingFormat<DeserializationSchema<RowData>> inner, OnError onError, String errorColumn, String rawColumn, RawFill rawFill, Set<String> notNull) {
        this.inner = inner;
        this.onError = onError;
        this.errorColumn = errorColumn;
        this.rawColumn = rawColumn;
        this.rawFill = rawFill;
        this.notNull = notNull;
    }

    @Override
    public DeserializationSchema<RowData> createRuntimeDecoder(DynamicTableSource.Context context, DataType physicalDataType) {
        RowType row = (RowType) physicalDataType.getLogicalType();
        List<String> names = row.getFieldNames();
        int errorPos = names.indexOf(errorColumn);
        int rawPos = names.indexOf(rawColumn);
        checkColumn(row, errorPos, errorColumn, LogicalTypeRoot.VARCHAR, "STRING");
        checkColumn(row, rawPos, rawColumn, LogicalTypeRoot.VARBINARY, "BYTES");
        if (onError == OnError.DEAD_LETTER && errorPos < 0) {
            throw new ValidationException("the pipec-guard format in dead-letter mode needs a STRING column named " + errorColumn + " in the format's columns");
        }
        List<Integer> dataPositions = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (i == errorPos || i == rawPos) continue;
            dataPositions.add(i);
            // A dead-letter row has NULL in every data column; a NOT NULL column would let generated code skip the null check.
            if (onError == OnError.DEAD_LETTER && !row.getTypeAt(i).isNullable()) {
                throw new ValidationException("the pipec-guard format in dead-letter mode needs nullable columns, and " + names.get(i) + " is NOT NULL");
            }
        }
        for (String column : notNull) {
            if (!names.contains(column)) throw new ValidationException("the pipec-guard format's not-null option names " + column + ", which is not one of its columns " + names);
        }
        int[] data = dataPositions.stream().mapToInt(Integer::intValue).toArray();
        List<DataType> projected = DataType.getFieldDataTypes(Projection.of(data).project(physicalDataType));
        DataTypes.Field[] innerFields = new DataTypes.Field[data.length];
        LogicalType[] innerTypes = new LogicalType[data.length];
        boolean[] required = new boolean[data.length];
        String[] dataNames = new String[data.length];
        for (int i = 0; i < data.length; i++) {
            String name = names.get(data[i]);
            dataNames[i] = name;
            required[i] = notNull.contains(name);
            // The inner format decodes a NOT NULL column strictly (Avro: no null default in the reader schema).
            innerFields[i] = DataTypes.FIELD(name, required[i] ? projected.get(i).notNull() : projected.get(i));
            innerTypes[i] = row.getTypeAt(data[i]);
        }
        return new GuardDeserializationSchema(
                inner.createRuntimeDecoder(context, DataTypes.ROW(innerFields).notNull()),
                context.createTypeInformation(physicalDataType),
                onError,
                rawFill,
                names.size(),
                data,
                innerTypes,
                required,
                dataNames,
                errorColumn,
                errorPos,
                rawPos);
    }

    private static void checkColumn(RowType row, int pos, String name, LogicalTypeRoot root, String sqlType) {
        if (pos >= 0 && row.getTypeAt(pos).getTypeRoot() != root) {
            throw new ValidationException("the pipec-guard format's column " + name + " must be " + sqlType + ", not " + row.getTypeAt(pos));
        }
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return inner.getChangelogMode();
    }
}
