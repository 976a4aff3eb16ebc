package io.tidemark.connector.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * SQLite, embedded in the process: a table in a file. Every sink subtask has its own
 * connection; they take turns at the file's write lock, so each waits for the others rather
 * than failing, and readers do not block writers (write-ahead log).
 */
final class SqliteDialect implements JdbcDialect
{
    static final String PREFIX = "jdbc:sqlite:";
    /** How long a subtask waits for another's write transaction before it fails. */
    private static final int BUSY_TIMEOUT_MILLIS = 60_000;
    /** SQLite's primary result code for a write to a database opened read-only. */
    private static final int SQLITE_READONLY = 8;

    @Override
    public void prepare(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
            statement.execute("PRAGMA journal_mode = WAL");
        }
    }

    @Override
    public List<String> missingPrivileges(final Connection connection, final String table) throws SQLException
    {
        // SQLite has no privileges, only a database that may be read-only: a write that
        // changes nothing tells.
        try (Statement statement = connection.createStatement())
        {
            statement.execute("DELETE FROM " + table + " WHERE 1 = 0");
            return List.of();
        }
        catch (final SQLException e)
        {
            if ((e.getErrorCode() & 0xff) == SQLITE_READONLY)
            {
                return List.of("write (the database is read-only: " + e.getMessage() + ")");
            }
            throw e;
        }
    }
}
