using Microsoft.Data.Sqlite;

namespace ContentWatch.Storage.Sqlite;

/// <summary>Prepared commands for the batch writers, which run one statement many times in one transaction.</summary>
internal static class SqliteCommands
{
    /// <summary>A prepared command in <paramref name="transaction"/> with the named <paramref name="parameters"/> (set to NULL until bound).</summary>
    public static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        return command;
    }
}
