namespace RelaySigner.Core.Telemetry;

/// <summary>
/// Every event id the relay logs, in one place: a stage's <c>[LoggerMessage]</c> names its id here, so no two
/// stages can take the same one, operators' alerts and the README's event table have one list to follow, and
/// tests await events by these names instead of by log wording.
/// </summary>
public static class EventIds
{
    /// <summary>SMTP intake: listeners, sessions, relay control, message checks: 1000–1999.</summary>
    public static class Intake
    {
        public const int Listening = 1001;
        public const int Accepted = 1002;
        public const int RelayDenied = 1003;
        public const int Refused = 1004;
        public const int QueueFailed = 1005;
        public const int SessionFaulted = 1006;
        public const int SessionClosed = 1007;
        public const int ConnectionRefused = 1008;
        public const int AuthSucceeded = 1009;
        public const int AuthFailed = 1010;
        public const int AuthThrottled = 1011;
        public const int TooManyRecipients = 1012;
        public const int ConnectionClosed = 1013;
        public const int ConnectionRefusedStopping = 1014;
        public const int Draining = 1015;
        public const int DrainTimedOut = 1016;
        public const int ConnectionLost = 1100;
        public const int TlsHandshakeFailed = 1101;
        public const int SenderRefused = 1150;
        public const int RecipientSuppressed = 1200;
        public const int CertificateReloaded = 1190;
        public const int CertificateReloadFailed = 1191;
        public const int InboundListening = 1300;
        public const int InboundAccepted = 1301;
        public const int InboundRecipientRefused = 1302;
        public const int InboundRefused = 1303;
        public const int InboundHandlerFailed = 1304;
    }

    /// <summary>DKIM keys and signing: 2000–2999.</summary>
    public static class Signing
    {
        public const int KeyLoaded = 2001;
        public const int Refused = 2002;
        public const int KeysReloaded = 2003;
        public const int KeyReloadFailed = 2004;
        public const int RelayedUnsigned = 2005;
        public const int PublishedKeyRejected = 2006;
        public const int PublishedKeyMatches = 2007;
        public const int PublishedKeyLookupFailed = 2008;
        public const int KeyReadableByOthers = 2150;
    }

    /// <summary>The queue stores (SQLite and PostgreSQL): 3000–3999.</summary>
    public static class Queue
    {
        public const int Opened = 3000;
        public const int NotWal = 3001;
        public const int LeasesReleased = 3002;
        public const int Upgraded = 3003;
        public const int Queued = 3010;
        public const int Leased = 3011;
        public const int AttemptRecorded = 3012;
        public const int Removed = 3013;
        public const int OutcomeIgnored = 3014;
        public const int NotificationQueued = 3015;
        public const int OperationFailed = 3020;
        public const int CommitFailed = 3021;
        public const int BatchCommitted = 3022;
        public const int CheckpointFailed = 3023;
        public const int Checkpointed = 3024;
        public const int Restricted = 3100;
        public const int PostgreSqlOpened = 3200;
        public const int PostgreSqlUpgraded = 3201;
        public const int PostgreSqlLeasesReleased = 3202;
        public const int PostgreSqlLeasesNotReleased = 3203;
        public const int PostgreSqlListening = 3250;
        public const int PostgreSqlListenFailed = 3251;
        public const int PostgreSqlNotifyFailed = 3252;
        public const int HistoryPruned = 3300;
        public const int HistoryPruneFailed = 3301;
        public const int RecipientSuppressed = 3400;
    }

    /// <summary>Scheduling, routing and SMTP delivery: 4000–4999.</summary>
    public static class Delivery
    {
        public const int RecipientRelayed = 4000;
        public const int RecipientNotRelayed = 4001;
        public const int ConnectionFailed = 4002;
        public const int UntrustedCertificate = 4003;
        public const int TlsEstablished = 4004;
        public const int MessageUnparseable = 4005;
        public const int QuitFailed = 4006;
        public const int DestinationResolved = 4010;
        public const int DestinationNotResolved = 4011;
        public const int CircuitOpened = 4012;
        public const int QueueUnavailable = 4101;
        public const int AttemptDeferred = 4103;
        public const int AttemptCrashed = 4104;
        public const int AttemptDone = 4105;
        public const int BounceQueued = 4106;
        public const int NoBounceToNullSender = 4107;
        public const int LeaseLost = 4108;
        public const int BounceNotWritten = 4109;
        public const int DestinationCrashed = 4200;

        // Delivery status notifications (RFC 3461): 4400–4449.
        public const int NotificationQueued = 4400;
        public const int NotificationNotWanted = 4401;
    }

    /// <summary>The executable: admin listener, start-up, CLI: 5000–5999.</summary>
    public static class Host
    {
        public const int Listening = 5001;
        public const int NotReady = 5002;
        public const int Started = 5100;
        public const int SigningWithDemoKey = 5101;
        public const int CertificateExpiring = 5102;

        // The admin listener's logins and the dashboard: 5300–5399.
        public const int AdminLoginSucceeded = 5300;
        public const int AdminLoginFailed = 5301;
        public const int AdminLoginThrottled = 5302;
        public const int AdminTokenRefused = 5303;
        public const int AdminTokenCreated = 5304;
        public const int DashboardPageFailed = 5305;
        public const int DashboardDnsFailed = 5306;
    }

    /// <summary>The way back: inbound listener, bounces and complaints, suppression, events, unsubscribes: 6000–6999.</summary>
    public static class Feedback
    {
        public const int WebhookStarted = 6100;
        public const int EventAccepted = 6101;
        public const int EventNotAccepted = 6102;
        public const int OutboxUnavailable = 6103;
        public const int GaugesNotRefreshed = 6110;
        public const int BounceRecorded = 6200;
        public const int TokenRefused = 6201;
        public const int Unmatched = 6202;
        public const int Ignored = 6203;
        public const int BounceForwarded = 6204;
        public const int Unsubscribed = 6300;
        public const int UnsubscribeTokenRejected = 6301;
        public const int UnsubscribeListening = 6302;
        public const int UnsubscribeFailed = 6303;
        public const int BulkPaused = 6310;
        public const int BulkResumed = 6311;
        public const int BulkRateCheckFailed = 6312;
    }

    /// <summary>DMARC aggregate reports: their store, import (SMTP, IMAP, files) and the dashboard's data: 7000–7999.</summary>
    public static class Dmarc
    {
        public const int ReportImported = 7000;
        public const int ReportDuplicate = 7001;
        public const int ReportMailUnusable = 7002;
        public const int ImapCollected = 7010;
        public const int ImapMessageFailed = 7011;
        public const int ImapFailed = 7012;
    }
}
