namespace RelaySigner.Queue;

/// <summary>Which store holds the queue (<c>Relay:Queue:Provider</c>).</summary>
public enum QueueProvider
{
    /// <summary>The embedded SQLite file under <see cref="QueueOptions.Path"/>: one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database at <see cref="QueueOptions.ConnectionString"/>, shared by several nodes.</summary>
    PostgreSql,
}
