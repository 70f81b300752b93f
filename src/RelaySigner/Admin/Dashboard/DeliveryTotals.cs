using RelaySigner.Queue;

namespace RelaySigner.Admin.Dashboard;

/// <summary>Attempt outcomes summed over days or domains.</summary>
public sealed record DeliveryTotals(long Delivered, long Deferred, long Bounced)
{
    public long Attempts => Delivered + Deferred + Bounced;

    public static DeliveryTotals Sum(IEnumerable<DeliveryCount> counts)
    {
        long delivered = 0, deferred = 0, bounced = 0;
        foreach (var count in counts)
        {
            delivered += count.Delivered;
            deferred += count.Deferred;
            bounced += count.Bounced;
        }

        return new DeliveryTotals(delivered, deferred, bounced);
    }
}
