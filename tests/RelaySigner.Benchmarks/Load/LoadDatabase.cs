using System.Diagnostics;
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
    private const string TablesSql = """
        SELECT relname, n_live_tup, n_dead_tup, pg_total_relation_size(relid), autovacuum_count
        FROM pg_stat_user_tables WHERE schemaname = 'relaysigner' AND relname LIKE 'queue_%' ORDER BY relname
        """;

    private readonly PostgreSqlServer? _server;
    private readonly string _connectionString;

    private LoadDatabase(PostgreSqlServer? server, string connectionString)
    {
        _server = server;
        _connectionString = connectionString;
    }

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
        Console.WriteLine();
        Console.WriteLine("| when | table | live rows | dead rows | size with indexes and TOAST, MB | autovacuum runs |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var before = await PrintAsync(pool, "after the run");
        var deadline = Stopwatch.GetTimestamp() + (3 * 60 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            if (await AutovacuumRunsAsync(pool) is var runs && runs.All(r => r.Value > before.GetValueOrDefault(r.Key)))
            {
                await PrintAsync(pool, "after autovacuum");
                return;
            }
        }

        await PrintAsync(pool, "3 min later (autovacuum has not visited every table)");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static async Task<Dictionary<string, long>> PrintAsync(NpgsqlDataSource pool, string when)
    {
        var tables = await ReadAsync(pool);
        foreach (var t in tables)
        {
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"| {when} | {t.Name} | {t.Live} | {t.Dead} | {t.Bytes / 1048576.0:F1} | {t.AutovacuumRuns} |"));
        }

        return tables.ToDictionary(t => t.Name, t => t.AutovacuumRuns);
    }

    private static async Task<Dictionary<string, long>> AutovacuumRunsAsync(NpgsqlDataSource pool) =>
        (await ReadAsync(pool)).ToDictionary(t => t.Name, t => t.AutovacuumRuns);

    private static async Task<List<(string Name, long Live, long Dead, long Bytes, long AutovacuumRuns)>> ReadAsync(NpgsqlDataSource pool)
    {
        var tables = new List<(string, long, long, long, long)>();
        await using var command = pool.CreateCommand(TablesSql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return tables;
    }
}
