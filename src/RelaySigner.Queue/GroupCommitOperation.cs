using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue;

/// <summary>
/// One unit of work for the <see cref="GroupCommitWriter"/>: it runs inside a shared batch transaction and
/// hands its result to its caller only after that transaction has committed.
/// </summary>
internal abstract class GroupCommitOperation(string name, string? queueId, CancellationToken cancellationToken)
{
    /// <summary>What the operation does, for the log ("enqueue", "claim", ...).</summary>
    public string Name { get; } = name;

    /// <summary>The message the operation is about, for the log; null when it is about no single message.</summary>
    public string? QueueId { get; } = queueId;

    /// <summary>Skips the operation while it still waits for a batch; once it runs, it runs to its end.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Does the work inside the batch transaction; the result is kept until the commit.</summary>
    public abstract void Execute(SqliteTransaction tx);

    /// <summary>After the commit: hands the result to the caller.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);

    public abstract void Cancel();
}
