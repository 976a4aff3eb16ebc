package io.tidemark.connector.jdbc;

import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.window.WindowResult;
import java.io.Serializable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps the results of a window aggregation in a table, one row per key and window: each
 * {@link WindowResult} upserts the row {@code (key, window start, window end)} with its
 * value, each retraction ({@link WindowResult#retraction()}, a session that merged into
 * another) deletes it. The table therefore always holds the latest result of every window
 * that still exists, and once the input is complete, exactly the batch answer.
 *
 * <p>Each sink subtask writes through its own connection in transactions. Results are
 * gathered per row (the last result of a row wins) and written in one batch and committed at
 * every checkpoint barrier ({@link SinkWriter#preCommit}), at the end of input, and whenever
 * {@link Builder#maxBufferedRows} rows are waiting. Writes are idempotent (an upsert of the
 * same value, a delete of a missing row change nothing), so a job that replays results after
 * a restart (at-least-once) leaves the same table; between a restart and the end of the
 * replay the table may show results newer than the checkpoint the job resumed from.
 *
 * <p>SQLite ({@code jdbc:sqlite:<file>}, see {@link #sqlite}) is the embedded default;
 * PostgreSQL ({@code jdbc:postgresql://host:port/database?user=...&password=...}) works when
 * its driver is on the class path. The table is created if it is missing (unless
 * {@link Builder#createTable(boolean)} says not to), with the primary key
 * {@code (key, window start, window end)} that the upsert needs. A writer checks on start
 * that it can connect, that the table and its columns exist, and that its user may read,
 * insert, update and delete rows, and fails with an error that says which did not hold.
 *
 * @param <K> the key type.
 * @param <V> the aggregate's type.
 */
public final class JdbcUpsertSink<K, V> implements Sink<WindowResult<K, V>>
{
    /**
     * Turns a key or an aggregate into what its column takes: a value for
     * {@link PreparedStatement#setObject(int, Object)} such as a {@code String}, a
     * {@code Long} or a {@code Double}.
     *
     * @param <T> the key or aggregate type.
     */
    @FunctionalInterface
    public interface ColumnValue<T> extends Serializable
    {
        /**
         * @param value a key or an aggregate.
         * @return its column value.
         */
        Object of(T value);
    }

    /** The value of a row to delete; identity tells it apart from any aggregate. */
    private static final Object DELETE = new Object();

    private final String url;
    private final JdbcDialect dialect;
    private final UpsertTable table;
    private final boolean createTable;
    private final int maxBufferedRows;
    private final SerializedCopy<ColumnValue<K>> keys;
    private final SerializedCopy<ColumnValue<V>> values;

    private JdbcUpsertSink(final Builder<K, V> builder)
    {
        this.url = builder.url;
        this.dialect = JdbcDialect.forUrl(url);
        this.table = new UpsertTable(builder.table, builder.keyColumn, builder.keyType, builder.startColumn, builder.endColumn, builder.valueColumn,
            builder.valueType);
        this.createTable = builder.createTable;
        this.maxBufferedRows = builder.maxBufferedRows;
        this.keys = SerializedCopy.of(builder.keys, "key column value");
        this.values = SerializedCopy.of(builder.values, "value column value");
    }

    /**
     * @param url   the database: {@code jdbc:sqlite:<file>} or
     *              {@code jdbc:postgresql://host:port/database?user=...&password=...}.
     * @param table the table, optionally {@code schema.table}.
     * @param <K>   the key type.
     * @param <V>   the aggregate's type.
     * @return a builder; by default the key and the aggregate are written as text into
     * columns {@code key} and {@code value}, the window into {@code window_start} and
     * {@code window_end}.
     */
    public static <K, V> Builder<K, V> builder(final String url, final String table)
    {
        return new Builder<>(url, table);
    }

    /**
     * @param file  the SQLite database file; created if missing, its directory must exist.
     * @param table the table.
     * @param <K>   the key type.
     * @param <V>   the aggregate's type.
     * @return a builder for a table in that file.
     */
    public static <K, V> Builder<K, V> sqlite(final Path file, final String table)
    {
        return new Builder<>(SqliteDialect.PREFIX + file.toAbsolutePath(), table);
    }

    @Override
    public SinkWriter<WindowResult<K, V>> createWriter(final int subtaskIndex, final int parallelism) throws SQLException
    {
        final Connection connection;
        try
        {
            connection = DriverManager.getConnection(url);
        }
        catch (final SQLException e)
        {
            throw new SQLException("the upsert sink cannot connect to " + withoutParameters(url) + ": " + e.getMessage(), e.getSQLState(), e);
        }
        try
        {
            dialect.prepare(connection);
            prepareTable(connection);
            connection.setAutoCommit(false);
            return new UpsertWriter(connection, keys.newCopy(), values.newCopy());
        }
        catch (final SQLException | RuntimeException e)
        {
            connection.close();
            throw e;
        }
    }

    /**
     * @param url a JDBC URL.
     * @return the URL without its parameters, which may hold a password.
     */
    static String withoutParameters(final String url)
    {
        final int parameters = url.indexOf('?');
        return parameters < 0 ? url : url.substring(0, parameters);
    }

    private void prepareTable(final Connection connection) throws SQLException
    {
        try
        {
            probe(connection);
        }
        catch (final SQLException missing)
        {
            if (!createTable)
            {
                throw unusable("it does not exist or lacks a column, or may not be read", missing);
            }
            SQLException cause = missing;
            try (Statement statement = connection.createStatement())
            {
                statement.execute(table.create());
            }
            catch (final SQLException e)
            {
                // Another subtask may have created it at the same moment: the probe decides.
                e.addSuppressed(missing);
                cause = e;
            }
            probeOrFail(connection, cause);
        }
        final List<String> missing = dialect.missingPrivileges(connection, table.name());
        if (!missing.isEmpty())
        {
            throw new SQLException("the upsert sink may not " + String.join(", ", missing) + " table " + table.name() + " at " + withoutParameters(url)
                + "; it reads, inserts, updates and deletes rows, so its user needs SELECT, INSERT, UPDATE and DELETE on the table", "42501");
        }
    }

    private void probe(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            statement.executeQuery(table.probe()).close();
        }
    }

    private void probeOrFail(final Connection connection, final SQLException cause) throws SQLException
    {
        try
        {
            probe(connection);
        }
        catch (final SQLException e)
        {
            e.addSuppressed(cause);
            throw unusable("it could not be created, or it lacks a column, or may not be read", e);
        }
    }

    private SQLException unusable(final String reason, final SQLException cause)
    {
        return new SQLException("the upsert sink cannot use table " + table.name() + " at " + withoutParameters(url) + ": " + reason
            + " (it needs columns " + table.primaryKey() + ", " + table.valueColumn() + " with the primary key " + table.primaryKey() + "): "
            + cause.getMessage(), cause.getSQLState(), cause);
    }

    /**
     * Configures a {@link JdbcUpsertSink}.
     *
     * @param <K> the key type.
     * @param <V> the aggregate's type.
     */
    public static final class Builder<K, V>
    {
        private final String url;
        private final String table;
        private String keyColumn = "key";
        private String keyType = "TEXT";
        private ColumnValue<K> keys = String::valueOf;
        private String startColumn = "window_start";
        private String endColumn = "window_end";
        private String valueColumn = "value";
        private String valueType = "TEXT";
        private ColumnValue<V> values = String::valueOf;
        private boolean createTable = true;
        private int maxBufferedRows = 10_000;

        private Builder(final String url, final String table)
        {
            this.url = Objects.requireNonNull(url, "url");
            this.table = Objects.requireNonNull(table, "table");
        }

        /**
         * @param column the key's column.
         * @param type   its SQL type, for creating the table (such as {@code TEXT}, {@code BIGINT}).
         * @param value  turns a key into the column's value.
         * @return this builder.
         */
        public Builder<K, V> key(final String column, final String type, final ColumnValue<K> value)
        {
            this.keyColumn = Objects.requireNonNull(column, "column");
            this.keyType = Objects.requireNonNull(type, "type");
            this.keys = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * @param column the aggregate's column.
         * @param type   its SQL type, for creating the table (such as {@code BIGINT}, {@code DOUBLE PRECISION}).
         * @param value  turns an aggregate into the column's value.
         * @return this builder.
         */
        public Builder<K, V> value(final String column, final String type, final ColumnValue<V> value)
        {
            this.valueColumn = Objects.requireNonNull(column, "column");
            this.valueType = Objects.requireNonNull(type, "type");
            this.values = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * @param start the window start's column.
         * @param end   the window end's column.
         * @return this builder.
         */
        public Builder<K, V> windowColumns(final String start, final String end)
        {
            this.startColumn = Objects.requireNonNull(start, "start");
            this.endColumn = Objects.requireNonNull(end, "end");
            return this;
        }

        /**
         * @param create whether a missing table is created (the default); if not, a missing
         *               table fails the writer.
         * @return this builder.
         */
        public Builder<K, V> createTable(final boolean create)
        {
            this.createTable = create;
            return this;
        }

        /**
         * @param rows how many rows may wait for a checkpoint before they are written and
         *             committed anyway (10 000 by default); positive.
         * @return this builder.
         */
        public Builder<K, V> maxBufferedRows(final int rows)
        {
            if (rows <= 0)
            {
                throw new IllegalArgumentException("the rows buffered must be positive, not " + rows);
            }
            this.maxBufferedRows = rows;
            return this;
        }

        /**
         * @return the sink.
         * @throws IllegalArgumentException if the URL is not of a supported database, or a
         *                                  name is not a plain SQL identifier.
         */
        public JdbcUpsertSink<K, V> build()
        {
            return new JdbcUpsertSink<>(this);
        }
    }

    /** A row's primary key, with the key as its column value. */
    private record Row(Object key, long start, long end)
    {
    }

    private final class UpsertWriter implements SinkWriter<WindowResult<K, V>>
    {
        private final Connection connection;
        private final ColumnValue<K> keyValues;
        private final ColumnValue<V> aggregateValues;
        private final PreparedStatement upsert;
        private final PreparedStatement delete;
        // Insertion order does not matter (each row's last result wins), but it makes the batch reproducible.
        private final Map<Row, Object> pending = new LinkedHashMap<>();

        UpsertWriter(final Connection connection, final ColumnValue<K> keyValues, final ColumnValue<V> aggregateValues) throws SQLException
        {
            this.connection = connection;
            this.keyValues = keyValues;
            this.aggregateValues = aggregateValues;
            this.upsert = connection.prepareStatement(table.upsert());
            this.delete = connection.prepareStatement(table.delete());
        }

        @Override
        public void write(final WindowResult<K, V> result, final long timestamp) throws SQLException
        {
            final Row row = new Row(keyValues.of(result.key()), result.windowStart(), result.windowEnd());
            pending.put(row, result.retraction() ? DELETE : aggregateValues.of(result.value()));
            if (pending.size() >= maxBufferedRows)
            {
                flush();
            }
        }

        @Override
        public void flush() throws SQLException
        {
            if (pending.isEmpty())
            {
                return;
            }
            try
            {
                for (final Map.Entry<Row, Object> entry : pending.entrySet())
                {
                    final Row row = entry.getKey();
                    final PreparedStatement statement = entry.getValue() == DELETE ? delete : upsert;
                    statement.setObject(1, row.key());
                    statement.setLong(2, row.start());
                    statement.setLong(3, row.end());
                    if (statement == upsert)
                    {
                        statement.setObject(4, entry.getValue());
                    }
                    statement.addBatch();
                }
                upsert.executeBatch();
                delete.executeBatch();
                connection.commit();
            }
            catch (final SQLException e)
            {
                upsert.clearBatch();
                delete.clearBatch();
                connection.rollback();
                // The rows stay pending: nothing is lost if the job is told and replays.
                throw new SQLException("the upsert sink could not write " + pending.size() + " rows to table " + table.name() + " at "
                    + withoutParameters(url) + ": " + e.getMessage(), e.getSQLState(), e);
            }
            pending.clear();
        }

        @Override
        public void preCommit(final long checkpointId) throws SQLException
        {
            flush();
        }

        @Override
        public void close() throws SQLException
        {
            // Uncommitted rows belong to a failed or cancelled job, which replays them.
            connection.close();
        }
    }
}
