using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace RelaySigner.Benchmarks.Load;

/// <summary>
/// What a run leaves in the PostgreSQL queue's tables (schema <c>relaysigner</c>): live and dead rows
/// (pg_stat_all_tables), the size with indexes and TOAST (pg_total_relation_size; the TOAST table of the messages, which
/// holds their content, also on a row of its own) and how often autovacuum has visited, printed as rows of one Markdown table.
/// </summary>
internal sealed class QueueTableReport(NpgsqlDataSource pool)
{
    // The content lives in queue_messages' TOAST table, which autovacuum visits as a table of its own: its own row.
    private const string TablesSql = """
        SELECT t.relname, s.n_live_tup, s.n_dead_tup, pg_total_relation_size(t.oid), s.autovacuum_count
        FROM pg_class t JOIN pg_stat_all_tables s ON s.relid = t.oid
        WHERE t.relnamespace = 'relaysigner'::regnamespace AND t.relkind = 'r' AND t.relname <> 'schema_migrations'
        UNION ALL
        SELECT t.relname || ' TOAST', s.n_live_tup, s.n_dead_tup, pg_total_relation_size(t.reltoastrelid), s.autovacuum_count
        FROM pg_class t JOIN pg_stat_all_tables s ON s.relid = t.reltoastrelid
        WHERE t.relnamespace = 'relaysigner'::regnamespace AND t.relname = 'queue_messages'
        ORDER BY 1
        """;

    public static void PrintHeader()
    {
        Console.WriteLine();
        Console.WriteLine("| when | table | live rows | dead rows | size with indexes and TOAST, MB | autovacuum runs |");
        Console.WriteLine("|---|---|---|---|---|---|");
    }

    /// <summary>Prints every table as it is now under the label <paramref name="when"/>.</summary>
    /// <returns>Autovacuum's visits so far, per table.</returns>
    public async Task<Dictionary<string, long>> PrintAsync(string when)
    {
        // The statistics collector reports with a delay of up to its interval: read what it has now.
        await using (var clear = pool.CreateCommand("SELECT pg_stat_clear_snapshot()"))
        {
            await clear.ExecuteNonQueryAsync();
        }

        var tables = await ReadAsync();
        foreach (var t in tables)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {when} | {t.Name} | {t.Live} | {t.Dead} | {t.Bytes / 1048576.0:F1} | {t.AutovacuumRuns} |"));
        }

        return tables.ToDictionary(t => t.Name, t => t.AutovacuumRuns);
    }

    /// <summary>Waits until autovacuum has visited every table that has dead rows or new rows since <paramref name="before"/>.</summary>
    /// <returns>True when it did within <paramref name="limit"/>.</returns>
    public async Task<bool> WaitForAutovacuumAsync(Dictionary<string, long> before, IReadOnlySet<string> tables, TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            var runs = (await ReadAsync()).ToDictionary(t => t.Name, t => t.AutovacuumRuns);
            if (tables.All(name => runs.GetValueOrDefault(name) > before.GetValueOrDefault(name)))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<List<(string Name, long Live, long Dead, long Bytes, long AutovacuumRuns)>> ReadAsync()
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
