namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// The event ids the tests wait on, named after the relay's [LoggerMessage] methods (README, "Log events"), so a test
/// selects log entries by what happened and their fields, never by a message's wording.
/// </summary>
internal static class RelayEvents
{
    // Intake
    public const int SmtpListening = 1001;
    public const int MessageAccepted = 1002;
    public const int MessageRefused = 1004;
    public const int SessionFaulted = 1006;
    public const int SessionClosedByRelay = 1007;
    public const int AuthSucceeded = 1009;
    public const int AuthFailed = 1010;
    public const int ConnectionClosed = 1013;
    public const int Draining = 1015;
    public const int DrainTimedOut = 1016;
    public const int ConnectionLost = 1100;
    public const int TlsHandshakeFailed = 1101;
    public const int CertificateReloaded = 1190;

    // Queue
    public const int LeasesReleased = 3002;
    public const int MessageQueued = 3010;
    public const int MessageRemoved = 3013;

    // Delivery
    public const int RecipientRelayed = 4000;
    public const int RecipientNotRelayed = 4001;
    public const int AttemptDone = 4105;

    // Executable
    public const int Started = 5100;
}
