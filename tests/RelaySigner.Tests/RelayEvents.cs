namespace RelaySigner.Tests;

/// <summary>
/// The event ids the tests wait on, named after the relay's [LoggerMessage] methods (README, "Log events"), so a test
/// selects log entries by what happened and their fields, never by a message's wording.
/// </summary>
internal static class RelayEvents
{
    // Signing
    public const int KeyReloadFailed = 2004;
    public const int KeyReadableByOthers = 2150;

    // Delivery
    public const int RecipientRelayed = 4000;
    public const int RecipientNotRelayed = 4001;
    public const int ConnectionFailed = 4002;
    public const int UntrustedCertificate = 4003;
    public const int QueueUnavailable = 4101;
    public const int AttemptDeferred = 4103;
    public const int AttemptDone = 4105;
    public const int BounceQueued = 4106;
    public const int NoBounceToNullSender = 4107;
    public const int DestinationCrashed = 4200;
}
