namespace RelaySigner.Benchmarks.Scale;

/// <summary>What one round measured at one depth.</summary>
/// <param name="EnqueueMicroseconds">Wall time per message of enqueues from concurrent callers, each fsync'd before it returns.</param>
/// <param name="ClaimMicroseconds">Wall time per message of claiming due messages as the delivery worker does and recording each as delivered.</param>
/// <param name="EnqueueCpuMicroseconds">CPU time of this process per message during the enqueues.</param>
/// <param name="ClaimCpuMicroseconds">CPU time of this process per message during the claims; unlike the wall time, it leaves out waiting for the disk to read content that is not in the page cache.</param>
/// <param name="GaugesMilliseconds">One collection of the queue's gauges (a /metrics scrape).</param>
/// <param name="NextDueMilliseconds">The delivery worker's look for the next due time when nothing is due.</param>
/// <param name="OpenMilliseconds">Opening the queue, including releasing the leases the previous run left.</param>
internal sealed record ScaleRound(
    double EnqueueMicroseconds,
    double ClaimMicroseconds,
    double EnqueueCpuMicroseconds,
    double ClaimCpuMicroseconds,
    double GaugesMilliseconds,
    double NextDueMilliseconds,
    double OpenMilliseconds);
