package dev.pipec.flink;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.Factory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * {@code 'value.format' = 'pipec-guard'}: a format around another one (avro-confluent, json, protobuf, raw …) that
 * turns a record the inner format cannot decode into a skipped record or a dead-letter row instead of a failed job.
 *
 * <p>The inner format's own options are written under the guard's prefix and the inner identifier, e.g.
 * {@code 'value.pipec-guard.avro-confluent.url'}. Flink rejects table options no factory declared, so the guard
 * declares, besides its own, every option of every deserialization format on the class path under its identifier.
 */
public final class GuardFormatFactory implements DeserializationFormatFactory {
    public static final String IDENTIFIER = "pipec-guard";

    static final ConfigOption<String> FORMAT = ConfigOptions.key("format").stringType().noDefaultValue()
            .withDescription("The inner format's identifier, e.g. avro-confluent.");
    static final ConfigOption<String> ON_ERROR = ConfigOptions.key("on-error").stringType().noDefaultValue()
            .withDescription("fail, skip or dead-letter.");
    static final ConfigOption<String> ERROR_COLUMN = ConfigOptions.key("error-column").stringType().defaultValue("pipec_error")
            .withDescription("The STRING column that receives the error text of a record that failed to decode.");
    static final ConfigOption<String> RAW_COLUMN = ConfigOptions.key("raw-column").stringType().defaultValue("pipec_raw_value")
            .withDescription("The BYTES column that receives the record's bytes.");
    static final ConfigOption<String> NOT_NULL = ConfigOptions.key("not-null").stringType().defaultValue("")
            .withDescription("Columns (separated by ;) the source declares NOT NULL: decoded as NOT NULL, and a record that yields NULL in one is bad.");
    static final ConfigOption<String> RAW_FILL = ConfigOptions.key("raw-fill").stringType().defaultValue("on-error")
            .withDescription("on-error or always: when the raw column is filled.");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(FORMAT, ON_ERROR);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(Set.of(ERROR_COLUMN, RAW_COLUMN, RAW_FILL, NOT_NULL));
        for (Factory f : ServiceLoader.load(Factory.class, GuardFormatFactory.class.getClassLoader())) {
            if (!(f instanceof DeserializationFormatFactory) || f instanceof GuardFormatFactory) continue;
            String prefix = f.factoryIdentifier() + ".";
            for (ConfigOption<?> o : union(f.requiredOptions(), f.optionalOptions())) {
                options.add(ConfigOptions.key(prefix + o.key()).stringType().noDefaultValue());
                o.fallbackKeys().forEach(k -> options.add(ConfigOptions.key(prefix + k.getKey()).stringType().noDefaultValue()));
            }
        }
        return options;
    }

    @Override
    public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(DynamicTableFactory.Context context, ReadableConfig formatOptions) {
        String inner = formatOptions.getOptional(FORMAT).orElseThrow(() -> new ValidationException("the pipec-guard format needs its inner format ('<key|value>.pipec-guard.format')"));
        OnError onError = parse(() -> OnError.parse(formatOptions.getOptional(ON_ERROR).orElseThrow(() -> new ValidationException("the pipec-guard format needs 'on-error' (fail, skip or dead-letter)"))));
        RawFill rawFill = parse(() -> RawFill.parse(formatOptions.get(RAW_FILL)));
        if (inner.equals(IDENTIFIER)) throw new ValidationException("the pipec-guard format cannot wrap itself");
        DeserializationFormatFactory innerFactory = FactoryUtil.discoverFactory(context.getClassLoader(), DeserializationFormatFactory.class, inner);
        DecodingFormat<DeserializationSchema<RowData>> innerFormat = innerFactory.createDecodingFormat(context, innerOptions(formatOptions, inner));
        Set<String> notNull = new HashSet<>();
        for (String column : formatOptions.get(NOT_NULL).split(";")) {
            if (!column.isBlank()) notNull.add(column.trim());
        }
        return new GuardDecodingFormat(innerFormat, onError, formatOptions.get(ERROR_COLUMN), formatOptions.get(RAW_COLUMN), rawFill, notNull);
    }

    /** The options under {@code <inner>.}, without that prefix: what the inner format would get unwrapped. */
    private static ReadableConfig innerOptions(ReadableConfig formatOptions, String inner) {
        String prefix = inner + ".";
        Map<String, String> options = new HashMap<>();
        formatOptions.toMap().forEach((k, v) -> {
            if (k.startsWith(prefix)) options.put(k.substring(prefix.length()), v);
        });
        return Configuration.fromMap(options);
    }

    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage(), e);
        }
    }

    private static Set<ConfigOption<?>> union(Set<ConfigOption<?>> a, Set<ConfigOption<?>> b) {
        Set<ConfigOption<?>> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
