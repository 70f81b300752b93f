using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

/// <summary>One recipient's outcome in one attempt, as the message's history keeps it.</summary>
/// <param name="Attempt">1 for the first attempt of the message.</param>
/// <param name="Server">The server that answered, <c>host[ip]:port</c>; null when none did (no route, no connection).</param>
/// <param name="Tls">The TLS protocol of the session (<c>Tls13</c>); null in clear or without a session.</param>
/// <param name="Reply">The reply that decided the outcome (code, enhanced code, text), bounded in length.</param>
public sealed record DeliveryAttempt(
    int Attempt, DateTimeOffset At, string Recipient, RecipientStatus Status, string? Server, string? Tls, string? Reply);
