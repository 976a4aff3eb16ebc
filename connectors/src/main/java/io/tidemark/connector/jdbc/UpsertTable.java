package io.tidemark.connector.jdbc;

import java.util.regex.Pattern;

/**
 * The table an upsert sink keeps: one row per key and window, its primary key
 * {@code (key, window start, window end)}, and the statements that create, probe, upsert and
 * delete rows. Names are checked to be plain SQL identifiers, since they are written into the
 * statements.
 *
 * @param name        the table, optionally with its schema ({@code schema.table}).
 * @param keyColumn   the key's column.
 * @param keyType     the key column's SQL type.
 * @param startColumn the window start's column (milliseconds, {@code BIGINT}).
 * @param endColumn   the window end's column (milliseconds, {@code BIGINT}).
 * @param valueColumn the aggregate's column.
 * @param valueType   the aggregate column's SQL type.
 */
record UpsertTable(String name, String keyColumn, String keyType, String startColumn, String endColumn, String valueColumn, String valueType)
{
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_ ]*(\\([0-9, ]+\\))?");

    UpsertTable
    {
        final String[] parts = name.split("\\.", -1);
        if (parts.length > 2)
        {
            throw new IllegalArgumentException("a table name is [schema.]table, not " + name);
        }
        for (final String part : parts)
        {
            requireIdentifier(part, "table");
        }
        requireIdentifier(keyColumn, "column");
        requireIdentifier(startColumn, "column");
        requireIdentifier(endColumn, "column");
        requireIdentifier(valueColumn, "column");
        requireType(keyType);
        requireType(valueType);
    }

    /** @return the statement that makes the table if it is missing. */
    String create()
    {
        return "CREATE TABLE IF NOT EXISTS " + name + " (" + keyColumn + " " + keyType + " NOT NULL, " + startColumn + " BIGINT NOT NULL, "
            + endColumn + " BIGINT NOT NULL, " + valueColumn + " " + valueType + ", PRIMARY KEY (" + primaryKey() + "))";
    }

    /** @return a query that reads no row but fails unless the table and its columns exist. */
    String probe()
    {
        return "SELECT " + primaryKey() + ", " + valueColumn + " FROM " + name + " WHERE 1 = 0";
    }

    /** @return the upsert of one row: key, start, end, value. */
    String upsert()
    {
        return "INSERT INTO " + name + " (" + primaryKey() + ", " + valueColumn + ") VALUES (?, ?, ?, ?) ON CONFLICT (" + primaryKey()
            + ") DO UPDATE SET " + valueColumn + " = excluded." + valueColumn;
    }

    /** @return the delete of one row: key, start, end. */
    String delete()
    {
        return "DELETE FROM " + name + " WHERE " + keyColumn + " = ? AND " + startColumn + " = ? AND " + endColumn + " = ?";
    }

    /** @return the columns of the primary key, in a list. */
    String primaryKey()
    {
        return keyColumn + ", " + startColumn + ", " + endColumn;
    }

    private static void requireIdentifier(final String name, final String what)
    {
        if (!IDENTIFIER.matcher(name).matches())
        {
            throw new IllegalArgumentException("a " + what + " name is letters, digits and underscores, not starting with a digit: '" + name + "'");
        }
    }

    private static void requireType(final String type)
    {
        if (!TYPE.matcher(type).matches())
        {
            throw new IllegalArgumentException("not an SQL type name: '" + type + "'");
        }
    }
}
