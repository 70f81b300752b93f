namespace RelaySigner.Queue;

/// <summary>
/// Settings of the durable queue, bound from the <c>Relay:Queue</c> configuration section.
/// </summary>
public sealed class QueueOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Relay:Queue";

    /// <summary>The SQLite database file inside <see cref="Path"/>.</summary>
    public const string DatabaseFileName = "queue.db";

    /// <summary>The store. Default: <see cref="QueueProvider.Sqlite"/>.</summary>
    public QueueProvider Provider { get; set; } = QueueProvider.Sqlite;

    /// <summary>
    /// Folder that holds the SQLite file <c>queue.db</c> (plus its <c>-wal</c>/<c>-shm</c> companions).
    /// Relative paths resolve against the current directory. The folder is created when missing.
    /// Default: <c>"data"</c>. Only for <see cref="QueueProvider.Sqlite"/>.
    /// </summary>
    public string Path { get; set; } = "data";

    /// <summary>
    /// The PostgreSQL database, in Npgsql syntax (<c>Host=db;Port=5432;Username=relay;Password=…;Database=relay</c>).
    /// Required for <see cref="QueueProvider.PostgreSql"/>; the tables are created in its schema <c>relaysigner</c>.
    /// Default: empty.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// This node's name, written into every lease it takes (<c>queue list</c> shows who delivers a message) and
    /// into its database sessions' application_name. Default: the host name.
    /// </summary>
    public string NodeName { get; set; } = System.Net.Dns.GetHostName();

    /// <summary>
    /// How long the history of a message that left the queue (its attempts: time, server, TLS, reply) stays
    /// searchable with <c>relaysigner history</c>; older history is pruned by the relay in the background.
    /// <see cref="TimeSpan.Zero"/> keeps no history at all (and writes none). Default: 7 days.
    /// </summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>True when attempts and removed messages are kept (<see cref="HistoryRetention"/> is not zero).</summary>
    public bool KeepsHistory => HistoryRetention > TimeSpan.Zero;
}
