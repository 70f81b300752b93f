namespace RelaySigner.Core.Queue;

public enum RecipientStatus
{
    Pending = 0,
    Delivered = 1,
    Failed = 2,
}

/// <summary>What one attempt achieved for one recipient, with the reply that decided it.</summary>
public sealed record RecipientOutcome(string Recipient, RecipientStatus Status, SmtpReply? Reply);
