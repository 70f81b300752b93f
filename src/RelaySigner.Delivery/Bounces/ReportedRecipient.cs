using RelaySigner.Core.Queue;

namespace RelaySigner.Delivery.Bounces;

/// <summary>One recipient of a delivery status notification: its outcome in this attempt and what the report says of it.</summary>
public sealed record ReportedRecipient(RecipientOutcome Outcome, DsnAction Action);
