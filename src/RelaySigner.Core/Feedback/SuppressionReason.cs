namespace RelaySigner.Core.Feedback;

/// <summary>Why a recipient is on the suppression list. Only what the receiver (or the recipient) said; a block or
/// reputation rejection is never a reason, since the address exists and the problem is the sender.</summary>
public enum SuppressionReason
{
    /// <summary>A hard bounce: the address does not exist (from a bounce that came back, or a 5xx during delivery).</summary>
    HardBounce,

    /// <summary>The recipient reported the mail (an ARF complaint).</summary>
    Complaint,

    /// <summary>The recipient unsubscribed (RFC 8058 one-click, or the List-Unsubscribe mailto).</summary>
    Unsubscribe,

    /// <summary>An operator added it (<c>relaysigner suppress add|import</c>).</summary>
    Manual,
}
