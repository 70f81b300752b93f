namespace RelaySigner.Delivery.Bounces;

/// <summary>The Action of one recipient in a delivery status notification (RFC 3464 §2.3.3), as the relay reports it.</summary>
public enum DsnAction
{
    /// <summary>Failed for good: a 5xx, or still pending after the maximum age.</summary>
    Failed,

    /// <summary>Still being retried past <see cref="DeliveryOptions.DelayWarningAfter"/>.</summary>
    Delayed,

    /// <summary>
    /// Handed to a server that did not offer DSN, so no success report will come from further on (RFC 3461 §5.2.2).
    /// The relay never delivers to a mailbox itself, so it never reports <c>delivered</c>.
    /// </summary>
    Relayed,
}
