package io.tidemark.connector.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    /** SQLite's primary result code for a lock another connection holds. */
    private static final int SQLITE_BUSY = 5;
    /** SQLite's primary result code for a write to a database opened read-only. */
    private static final int SQLITE_READONLY = 8;

    @Override
    public void prepare(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
            useWriteAheadLog(statement);
        }
    }

    /**
     * Switching a file to the write-ahead log upgrades a read lock to a write lock, and SQLite
     * refuses such an upgrade at once rather than call the busy handler. When several subtasks
     * open a new file together, all but one are refused; each tries again until the file is in
     * the log's mode (set by itself or another) or the busy timeout has passed.
     */
    private static void useWriteAheadLog(final Statement statement) throws SQLException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUSY_TIMEOUT_MILLIS);
        long pauseMillis = 1;
        while (true)
        {
            try
            {
                statement.execute("PRAGMA journal_mode = WAL");
                return;
            }
            catch (final SQLException e)
            {
                if ((e.getErrorCode() & 0xff) != SQLITE_BUSY || System.nanoTime() - deadline > 0)
                {
                    throw e;
                }
            }
            try
            {
                Thread.sleep(pauseMillis);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting to switch the SQLite file to the write-ahead log", e);
            }
            pauseMillis = Math.min(2 * pauseMillis, 50);
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
