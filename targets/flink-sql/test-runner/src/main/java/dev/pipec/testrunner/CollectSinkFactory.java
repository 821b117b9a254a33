package dev.pipec.testrunner;

import java.util.Set;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.connector.sink.DataStreamSinkProvider;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.RowKind;

/**
 * `'connector' = 'pipec-collect'`: the sink a test job writes instead of Kafka. It takes the changelog the deployed
 * sink takes — insert-only without a primary key (like `kafka`), upserts with one (like `upsert-kafka`) — so the
 * planner adds the same changelog handling (upsert materialization, NOT NULL enforcement) as for the real job.
 */
public final class CollectSinkFactory implements DynamicTableSinkFactory {
    static final ConfigOption<String> TABLE = ConfigOptions.key("table").stringType().noDefaultValue();

    @Override
    public String factoryIdentifier() {
        return "pipec-collect";
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(TABLE);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        boolean upsert = context.getCatalogTable().getResolvedSchema().getPrimaryKey().isPresent();
        DataType rowType = context.getCatalogTable().getResolvedSchema().toPhysicalRowDataType();
        return new CollectSink(options.get(TABLE), rowType, upsert);
    }

    private static final class CollectSink implements DynamicTableSink {
        private final String table;
        private final DataType rowType;
        private final boolean upsert;

        CollectSink(String table, DataType rowType, boolean upsert) {
            this.table = table;
            this.rowType = rowType;
            this.upsert = upsert;
        }

        @Override
        public ChangelogMode getChangelogMode(ChangelogMode requested) {
            if (!upsert) return ChangelogMode.insertOnly();
            return ChangelogMode.newBuilder()
                    .addContainedKind(RowKind.INSERT)
                    .addContainedKind(RowKind.UPDATE_AFTER)
                    .addContainedKind(RowKind.DELETE)
                    .build();
        }

        @Override
        public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
            CollectFunction collect = new CollectFunction(table, rowType);
            return new DataStreamSinkProvider() {
                @Override
                public DataStreamSink<?> consumeDataStream(ProviderContext providerContext, DataStream<RowData> rows) {
                    return rows.filter(collect).name("collect " + table).setParallelism(1).sinkTo(new DiscardingSink<>()).setParallelism(1);
                }
            };
        }

        @Override
        public DynamicTableSink copy() {
            return new CollectSink(table, rowType, upsert);
        }

        @Override
        public String asSummaryString() {
            return "pipec-collect(" + table + ")";
        }
    }
}
