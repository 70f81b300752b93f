using RelaySigner.Core.Telemetry;
namespace RelaySigner.Tests.Delivery;

/// <summary>The counts of an "attempt done" event (4103 with recipients still pending, 4105 without).</summary>
internal sealed record AttemptCounts(int Delivered, int Failed, int Pending)
{
    public static AttemptCounts Of(LoggedEvent done) => new(
        (int)done["Delivered"]!,
        (int)done["Failed"]!,
        done.Id == EventIds.Delivery.AttemptDeferred ? (int)done["Pending"]! : 0);
}
