namespace RelaySigner.Queue;

/// <summary>
/// Recipients' attempt outcomes on one UTC day to one destination domain, from the message history: each attempt
/// counts once, so a recipient deferred twice and then delivered adds two to <see cref="Deferred"/> and one to
/// <see cref="Delivered"/>.
/// </summary>
/// <param name="Bounced">Attempts that failed the recipient for good (5xx, or past the maximum age).</param>
public sealed record DeliveryCount(DateOnly Day, string Domain, long Delivered, long Deferred, long Bounced);
