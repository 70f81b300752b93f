using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue;

/// <summary>
/// A <see cref="GroupCommitOperation"/> whose caller awaits <see cref="Task"/> for the result of
/// <paramref name="body"/>; <paramref name="afterCommit"/> (typically logging) sees the result once it is durable.
/// </summary>
internal sealed class GroupCommitOperation<T>(
    string name, string? queueId, Func<SqliteTransaction, T> body, Action<T>? afterCommit, CancellationToken cancellationToken)
    : GroupCommitOperation(name, queueId, cancellationToken)
{
    // Continuations run elsewhere, never inline on the writer loop.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _completion.Task;

    public override void Execute(SqliteTransaction tx) => _result = body(tx);

    public override void Complete()
    {
        var result = _result!;
        try
        {
            afterCommit?.Invoke(result);
        }
        catch (Exception)
        {
            // Logging must never keep a committed result from its caller.
        }

        _completion.TrySetResult(result);
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
