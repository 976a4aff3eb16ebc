package io.tidemark.connector.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL, a server: the job brings the driver ({@code org.postgresql:postgresql}) on its
 * class path, and the URL carries user and password as parameters.
 */
final class PostgresDialect implements JdbcDialect
{
    static final String PREFIX = "jdbc:postgresql:";
    private static final List<String> PRIVILEGES = List.of("SELECT", "INSERT", "UPDATE", "DELETE");

    @Override
    public void prepare(final Connection connection)
    {
        // The server's defaults serve: each subtask's transaction locks only the rows it writes.
    }

    @Override
    public List<String> missingPrivileges(final Connection connection, final String table) throws SQLException
    {
        final List<String> missing = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT has_table_privilege(?, ?)"))
        {
            statement.setString(1, table);
            for (final String privilege : PRIVILEGES)
            {
                statement.setString(2, privilege);
                try (ResultSet result = statement.executeQuery())
                {
                    result.next();
                    if (!result.getBoolean(1))
                    {
                        missing.add(privilege);
                    }
                }
            }
        }
        return missing;
    }
}
