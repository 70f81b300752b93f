namespace RelaySigner.Feedback.Inbound;

/// <summary>
/// Hands a hard bounce that came back to a VERP Return-Path on to the client's own envelope sender, as the relay's own
/// delivery status notification (<c>Relay:Bounces:ForwardToSender</c>): applications that read their bounce mail keep
/// working when the relay rewrites the Return-Path.
/// </summary>
public interface IBounceForwarding
{
    /// <summary>Queues the notification durably (returns once it is committed).</summary>
    /// <param name="status">The enhanced status code the receiver reported, where there was one.</param>
    Task ForwardAsync(SentMessage original, string recipient, string? status, CancellationToken cancellationToken);
}
