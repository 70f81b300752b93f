namespace RelaySigner.Core.Feedback;

/// <summary>
/// The events webhook, bound from <c>Relay:Events</c>. Events are on when <see cref="WebhookUrl"/> is set: the stores
/// then append one to the outbox per outcome and per suppression, and the sender POSTs them.
/// </summary>
public sealed class EventsOptions
{
    public const string SectionName = "Relay:Events";

    /// <summary>Where each event is POSTed (absolute http or https URL). Default empty: no events.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>
    /// The HMAC-SHA256 key of the signature header, at least 32 characters; required with <see cref="WebhookUrl"/>.
    /// Better given in the environment (<c>Relay__Events__Secret</c>) than in a file others can read.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Longest wait for the receiver's answer to one POST; then the event is retried. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many events one claim takes from the outbox. Default 100.</summary>
    public int MaxBatch { get; set; } = 100;

    /// <summary>POSTs in flight at once. Default 4.</summary>
    public int MaxConcurrentRequests { get; set; } = 4;

    /// <summary>
    /// How often the outbox is looked at when nothing woke the sender: for retries that became due and, on a
    /// cluster, events other nodes recorded. Default 5 s.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait after an event's first failed POST; it doubles with every further failure. Default 10 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two tries of one event. Default 1 h. Events are never dropped.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether events are recorded and sent.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(WebhookUrl);
}
