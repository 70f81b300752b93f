using System.Globalization;
using Npgsql;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// Creates and upgrades the queue's tables in the schema <c>relaysigner</c> from the versioned scripts in
/// <c>Migrations/NNNN_name.sql</c> (embedded), recording each in <c>relaysigner.schema_migrations</c>.
/// </summary>
/// <remarks>
/// Each script runs in a transaction of its own that first takes a transaction-level advisory lock: when several
/// nodes start at once on an empty database, one creates the tables and the others wait, then find the version
/// recorded and skip it. CREATE ... IF NOT EXISTS alone does not make that safe: two sessions creating the same name
/// at once can still collide on the catalog's unique index. A database written by a newer build is refused rather
/// than guessed at.
/// </remarks>
internal static class PostgreSqlMigrations
{
    public const string Schema = "relaysigner";

    /// <summary>Key of the advisory lock that serialises migrations ("RLYSGNR" in ASCII), the same on every node.</summary>
    private const long LockKey = 0x524C5953474E52;

    /// <summary>The scripts in version order.</summary>
    public static IReadOnlyList<(int Version, string Sql)> Scripts { get; } = Load();

    /// <summary>The version the scripts bring a database to.</summary>
    public static int LatestVersion => Scripts[^1].Version;

    /// <summary>Brings the database to <see cref="LatestVersion"/>.</summary>
    /// <returns>The version it had before (0 for an empty database).</returns>
    /// <exception cref="NotSupportedException">The database has a newer version than this build knows.</exception>
    public static int Apply(NpgsqlDataSource dataSource)
    {
        int? before = null;
        foreach (var (version, sql) in Scripts)
        {
            using var connection = dataSource.OpenConnection();
            using var tx = connection.BeginTransaction();
            var current = LockAndReadVersion(connection, tx);
            before ??= current;
            if (current >= version)
            {
                continue; // another node applied it while we waited for the lock, or it was there before
            }

            Execute(connection, tx, sql);
            Execute(connection, tx, string.Create(CultureInfo.InvariantCulture,
                $"INSERT INTO {Schema}.schema_migrations (version) VALUES ({version})"));
            tx.Commit();
        }

        return before ?? 0;
    }

    /// <returns>The version the database has, under the migration lock, in <paramref name="tx"/>.</returns>
    private static int LockAndReadVersion(NpgsqlConnection connection, NpgsqlTransaction tx)
    {
        Execute(connection, tx, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({LockKey})"));
        // Asked first rather than CREATE SCHEMA IF NOT EXISTS: a role that may use a schema its DBA created need not
        // be allowed to create schemas in the database.
        using (var exists = new NpgsqlCommand($"SELECT to_regnamespace('{Schema}') IS NOT NULL", connection, tx))
        {
            if (exists.ExecuteScalar() is not true)
            {
                Execute(connection, tx, $"CREATE SCHEMA {Schema}");
            }
        }

        Execute(connection, tx, $"""
            CREATE TABLE IF NOT EXISTS {Schema}.schema_migrations (
                version    integer     NOT NULL PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())
            """);
        using var select = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {Schema}.schema_migrations", connection, tx);
        var current = (int)select.ExecuteScalar()!;
        if (current > LatestVersion)
        {
            throw new NotSupportedException(
                $"The database {connection.Database} has queue schema version {current}; this build knows up to {LatestVersion}.");
        }

        return current;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        command.ExecuteNonQuery();
    }

    private static List<(int Version, string Sql)> Load()
    {
        const string prefix = "RelaySigner.Queue.PostgreSql.Migrations.";
        var assembly = typeof(PostgreSqlMigrations).Assembly;
        var scripts = new List<(int, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            // NNNN_name.sql: the number is the version.
            var version = int.Parse(name.AsSpan(prefix.Length, 4), CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            scripts.Add((version, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return scripts.Count > 0 ? scripts : throw new InvalidOperationException("No queue migrations are embedded.");
    }
}
