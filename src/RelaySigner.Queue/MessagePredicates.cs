namespace RelaySigner.Queue;

/// <summary>Conditions on a message <c>m</c> that the claim and the next-due look share, so both ask the same thing.</summary>
internal static class MessagePredicates
{
    /// <summary>At least one recipient still waits for delivery (bind <c>$pending</c>).</summary>
    public const string HasPendingRecipient =
        "EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND r.status = $pending)";

    /// <summary>No worker holds a lease on it, live or expired.</summary>
    public const string Unleased = "NOT EXISTS (SELECT 1 FROM leases l WHERE l.message_id = m.id)";
}
