namespace RelaySigner.Queue;

/// <summary>The statements of the paused bulk domains, alike in both engines but for the table's schema.</summary>
internal static class BulkPauseSql
{
    public static string List(string table) => $"SELECT domain, paused_at, complaint_rate, resumed_at FROM {table} ORDER BY domain";

    /// <summary>Inserts, or pauses a resumed domain again; a domain paused already is left as it is.</summary>
    public static string Pause(string table) =>
        $"INSERT INTO {table} AS p (domain, paused_at, complaint_rate, resumed_at) VALUES ($1, $2, $3, NULL) " +
        "ON CONFLICT (domain) DO UPDATE SET paused_at = excluded.paused_at, complaint_rate = excluded.complaint_rate, resumed_at = NULL " +
        "WHERE p.resumed_at IS NOT NULL";

    public static string Resume(string table) => $"UPDATE {table} SET resumed_at = $2 WHERE domain = $1 AND resumed_at IS NULL";
}
