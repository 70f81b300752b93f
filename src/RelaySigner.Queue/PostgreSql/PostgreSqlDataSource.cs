using Npgsql;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>The connection pool of a node to the shared queue database, set up as the durability promise needs it.</summary>
public static class PostgreSqlDataSource
{
    /// <summary>
    /// A pool on <see cref="QueueOptions.ConnectionString"/> whose sessions run with <c>synchronous_commit=on</c>,
    /// so a COMMIT returns only once the transaction's WAL is flushed to disk, and only then does intake answer 250
    /// (promise 1). Set as a startup option, it overrides an <c>ALTER DATABASE/ROLE ... SET synchronous_commit=off</c>
    /// a DBA may have made for other applications. The sessions carry the node's name as application_name
    /// (pg_stat_activity), unless the connection string names one. The caller owns the returned source.
    /// </summary>
    public static NpgsqlDataSource Create(QueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.Options = $"{settings.Options} -c synchronous_commit=on".TrimStart();
        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = $"relaysigner {options.NodeName}";
        }

        return builder.Build();
    }
}
