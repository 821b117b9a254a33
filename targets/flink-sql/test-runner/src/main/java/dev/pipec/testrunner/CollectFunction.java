package dev.pipec.testrunner;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.conversion.DataStructureConverter;
import org.apache.flink.table.data.conversion.DataStructureConverters;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;

/**
 * Records every change a sink receives, in arrival order, as {"kind": "+I", "row": {...}} with values in a plain
 * JSON spelling (decimals and temporals as strings in ISO form), into {@link Collected}. The job runs in this JVM's
 * MiniCluster, so the static store is the one the runner reads after the job ends. A filter that keeps nothing
 * (followed by a discarding sink) rather than a sink function: the legacy SinkFunction is gone in Flink 2, and this
 * compiles against 1.20 and 2.2 alike.
 */
final class CollectFunction extends RichFilterFunction<RowData> {
    private static final long serialVersionUID = 1L;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String table;
    private final DataType rowType;
    private transient DataStructureConverter<Object, Object> converter;

    CollectFunction(String table, DataType rowType) {
        this.table = table;
        this.rowType = rowType;
    }

    @Override
    public void open(OpenContext context) {
        converter = DataStructureConverters.getConverter(rowType);
        converter.open(getRuntimeContext().getUserCodeClassLoader());
    }

    @Override
    public boolean filter(RowData value) {
        Row row = (Row) converter.toExternal(value);
        ObjectNode change = JSON.objectNode();
        change.put("kind", value.getRowKind().shortString());
        change.set("row", toJson(row, rowType.getLogicalType()));
        Collected.add(table, change);
        return false;
    }

    static JsonNode toJson(Object value, LogicalType type) {
        if (value == null) return JSON.nullNode();
        switch (type.getTypeRoot()) {
            case ROW: {
                RowType rt = (RowType) type;
                Row r = (Row) value;
                ObjectNode o = JSON.objectNode();
                List<RowType.RowField> fields = rt.getFields();
                for (int i = 0; i < fields.size(); i++) o.set(fields.get(i).getName(), toJson(r.getField(i), fields.get(i).getType()));
                return o;
            }
            case ARRAY: {
                ArrayNode a = JSON.arrayNode();
                for (Object e : (Object[]) value) a.add(toJson(e, ((ArrayType) type).getElementType()));
                return a;
            }
            case MAP: {
                LogicalType valueType = ((MapType) type).getValueType();
                ObjectNode o = JSON.objectNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) o.set(String.valueOf(e.getKey()), toJson(e.getValue(), valueType));
                return o;
            }
            case BOOLEAN:
                return JSON.booleanNode((Boolean) value);
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT: {
                // Beyond 2^53 a JSON number loses digits in JavaScript: such integers travel as text.
                long n = ((Number) value).longValue();
                return Math.abs(n) <= (1L << 53) ? JSON.numberNode(n) : JSON.textNode(Long.toString(n));
            }
            case FLOAT: {
                // As a float, so 0.1f prints as 0.1 (not as the double 0.10000000149011612).
                float f = (Float) value;
                return Float.isFinite(f) ? JSON.numberNode(f) : JSON.textNode(Float.toString(f));
            }
            case DOUBLE: {
                double d = (Double) value;
                return Double.isFinite(d) ? JSON.numberNode(d) : JSON.textNode(Double.toString(d));
            }
            case DECIMAL:
                return JSON.textNode(((BigDecimal) value).toPlainString());
            case BINARY:
            case VARBINARY:
                return JSON.textNode(Base64.getEncoder().encodeToString((byte[]) value));
            case DATE:
                return JSON.textNode(((LocalDate) value).toString());
            case TIME_WITHOUT_TIME_ZONE:
                return JSON.textNode(((LocalTime) value).toString());
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return JSON.textNode(((LocalDateTime) value).toString());
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return JSON.textNode(((Instant) value).toString());
            default:
                return JSON.textNode(String.valueOf(value));
        }
    }

}
