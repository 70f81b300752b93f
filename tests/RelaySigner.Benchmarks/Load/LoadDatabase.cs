using Npgsql;
using RelaySigner.Testing;

namespace RelaySigner.Benchmarks.Load;

/// <summary>
/// The PostgreSQL database of a load run (<c>--queue postgresql</c>): the one given, or a throwaway cluster on the same
/// machine (fsync and synchronous_commit on, as shipped). After the run it reports what the run left in the queue
/// tables: their size and dead rows right away and once autovacuum has visited them.
/// </summary>
internal sealed class LoadDatabase : IAsyncDisposable
{
    private static readonly IReadOnlySet<string> QueueTables = new HashSet<string> { "queue_messages", "queue_messages TOAST", "queue_recipients" };

    private readonly PostgreSqlServer? _server;
    private readonly string _connectionString;

    private LoadDatabase(PostgreSqlServer? server, string connectionString)
    {
        _server = server;
        _connectionString = connectionString;
    }

    public string ConnectionString => _connectionString;

    public (string Key, string Value)[] RelaySettings =>
    [
        ("Relay:Queue:Provider", "PostgreSql"),
        ("Relay:Queue:ConnectionString", _connectionString),
    ];

    public static async Task<LoadDatabase> OpenAsync(string connectionString)
    {
        if (connectionString.Length > 0)
        {
            return new LoadDatabase(null, connectionString);
        }

        var server = new PostgreSqlServer();
        await server.StartAsync();
        return new LoadDatabase(server, await server.CreateDatabaseAsync());
    }

    /// <summary>Prints the queue tables now, then waits (up to 3 min, autovacuum naps 1 min) for autovacuum to visit both.</summary>
    public async Task ReportTablesAsync()
    {
        await using var pool = NpgsqlDataSource.Create(_connectionString);
        var report = new QueueTableReport(pool);
        QueueTableReport.PrintHeader();
        var before = await report.PrintAsync("after the run");
        var visited = await report.WaitForAutovacuumAsync(before, QueueTables, TimeSpan.FromMinutes(3));
        await report.PrintAsync(visited ? "after autovacuum" : "3 min later (autovacuum has not visited every table)");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
