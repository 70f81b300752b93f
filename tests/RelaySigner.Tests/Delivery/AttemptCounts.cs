using RelaySigner.Core.Telemetry;
using RelaySigner.Testing;
namespace RelaySigner.Tests.Delivery;

/// <summary>The counts of an "attempt done" event (4103 with recipients still pending, 4105 without).</summary>
internal sealed record AttemptCounts(int Delivered, int Failed, int Pending)
{
    public static AttemptCounts Of(LogEntry done) => new(
        (int)done["Delivered"]!,
        (int)done["Failed"]!,
        done.EventId == EventIds.Delivery.AttemptDeferred ? (int)done["Pending"]! : 0);
}
