using Npgsql;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// Statements sent together: one <see cref="NpgsqlBatch"/> is one round trip to the server, whatever it holds, and
/// on a shared database the round trips of a transaction are most of its time.
/// </summary>
internal static class PostgreSqlBatches
{
    /// <summary>Adds <paramref name="sql"/> with positional parameters <c>$1</c>, <c>$2</c>, … bound to <paramref name="values"/>.</summary>
    public static NpgsqlBatch Add(this NpgsqlBatch batch, string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        batch.BatchCommands.Add(command);
        return batch;
    }

    /// <summary>A one-statement command with positional parameters, in <paramref name="tx"/>.</summary>
    public static NpgsqlCommand Command(NpgsqlTransaction tx, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, tx.Connection, tx);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
