package io.tidemark.connector.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the databases the upsert sink writes to. The statements themselves
 * do not: {@code INSERT ... ON CONFLICT (...) DO UPDATE} and {@code DELETE} read the same in
 * SQLite and PostgreSQL.
 */
interface JdbcDialect
{
    /**
     * @param url a JDBC URL.
     * @return the dialect of its database.
     * @throws IllegalArgumentException if no dialect serves it.
     */
    static JdbcDialect forUrl(final String url)
    {
        if (url.startsWith(SqliteDialect.PREFIX))
        {
            return new SqliteDialect();
        }
        if (url.startsWith(PostgresDialect.PREFIX))
        {
            return new PostgresDialect();
        }
        throw new IllegalArgumentException("the upsert sink writes to SQLite (" + SqliteDialect.PREFIX + "<file>) or PostgreSQL ("
            + PostgresDialect.PREFIX + "//<host>:<port>/<database>), not to " + JdbcUpsertSink.withoutParameters(url));
    }

    /**
     * Sets up a new connection for the sink.
     *
     * @param connection the connection, in auto-commit mode.
     * @throws SQLException if the database refuses.
     */
    void prepare(Connection connection) throws SQLException;

    /**
     * @param connection the connection, in auto-commit mode.
     * @param table      the table, which exists.
     * @return what the connection's user may not do to the table of what the sink does
     * (read, insert, update, delete), in words; empty if it may do all.
     * @throws SQLException if the database cannot say.
     */
    List<String> missingPrivileges(Connection connection, String table) throws SQLException;
}
