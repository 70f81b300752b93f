namespace RelaySigner.Queue;

/// <summary>
/// Settings of the embedded durable queue, bound from the <c>Relay:Queue</c> configuration section.
/// </summary>
public sealed class QueueOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Relay:Queue";

    /// <summary>The SQLite database file inside <see cref="Path"/>.</summary>
    public const string DatabaseFileName = "queue.db";

    /// <summary>
    /// Folder that holds the SQLite file <c>queue.db</c> (plus its <c>-wal</c>/<c>-shm</c> companions).
    /// Relative paths resolve against the current directory. The folder is created when missing.
    /// Default: <c>"data"</c>.
    /// </summary>
    public string Path { get; set; } = "data";
}
