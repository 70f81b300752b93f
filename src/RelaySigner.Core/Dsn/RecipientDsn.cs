namespace RelaySigner.Core.Dsn;

/// <summary>What the client asked at RCPT TO for one recipient's notifications (RFC 3461 §4.1, §4.2).</summary>
/// <param name="Notify">NOTIFY; null when the client gave none.</param>
/// <param name="OriginalRecipient">ORCPT as <c>addr-type;address</c> with the address decoded from xtext (printable
/// US-ASCII only, checked at intake); null when the client gave none.</param>
public sealed record RecipientDsn(DsnNotify? Notify, string? OriginalRecipient)
{
    /// <summary>
    /// Without NOTIFY the relay reports failures and delays, as RFC 3461 §4.1 allows (and Postfix and Sendmail do).
    /// </summary>
    public const DsnNotify DefaultNotify = DsnNotify.Failure | DsnNotify.Delay;

    /// <summary>True when a notification of <paramref name="kind"/> goes to the sender for this recipient.</summary>
    public static bool Wants(RecipientDsn? recipient, DsnNotify kind) =>
        ((recipient?.Notify ?? DefaultNotify) & kind) != 0;
}
