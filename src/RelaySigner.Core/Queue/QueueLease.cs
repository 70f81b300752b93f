namespace RelaySigner.Core.Queue;

/// <summary>
/// A worker's claim on one message. <see cref="Token"/> changes with every claim, so a worker whose lease expired
/// and was taken over cannot record its late outcome over the newer holder's (see <see cref="LeaseLostException"/>).
/// </summary>
public readonly record struct QueueLease(QueueId Id, long Token);
