namespace RelaySigner.Queue;

/// <summary>For readiness (<c>/readyz</c>): whether the queue takes a write now, as an enqueue would need.</summary>
public interface IQueueProbe
{
    /// <summary>Completes once a write went through to the store (and was undone); faults when it cannot.</summary>
    Task ProbeWritableAsync(CancellationToken cancellationToken);
}
