namespace RelaySigner.Core.Feedback;

/// <summary>
/// The events sent to the sending application, bound from <c>Relay:Events</c>. With no <see cref="WebhookUrl"/> no
/// event is written at all: the stores skip the outbox, so the feature costs nothing when it is off.
/// </summary>
public sealed class EventsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Relay:Events";

    /// <summary>Where each event is POSTed (an absolute http or https URL). Default: empty, no events.</summary>
    public string WebhookUrl { get; set; } = "";

    /// <summary>
    /// The secret the HMAC header of each POST is computed with; required when <see cref="WebhookUrl"/> is set.
    /// Give it through the environment (<c>Relay__Events__Secret</c>) rather than a file in the configuration folder.
    /// Default: empty.
    /// </summary>
    public string Secret { get; set; } = "";

    /// <summary>True when events are written to the outbox (<see cref="WebhookUrl"/> is set).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(WebhookUrl);
}
