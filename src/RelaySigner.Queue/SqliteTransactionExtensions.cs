using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue;

internal static class SqliteTransactionExtensions
{
    /// <summary>A command on the transaction's connection, enlisted in the transaction.</summary>
    public static SqliteCommand CreateCommand(this SqliteTransaction tx, string sql)
    {
        var command = tx.Connection!.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }
}
