namespace RelaySigner.Intake;

/// <summary>Graceful stop, bound from <c>Relay:Shutdown</c>.</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Relay:Shutdown";

    /// <summary>
    /// On SIGTERM/Ctrl+C, how long messages already in DATA may take to finish (new connections get 421 4.3.2
    /// meanwhile); what is still in DATA then is closed without a reply. The host's own shutdown timeout is this
    /// plus <see cref="Grace"/>, for the stages that stop after intake. Default: 30 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What the host adds to <see cref="Timeout"/> for delivery to save its attempts and the queue to close.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
}
