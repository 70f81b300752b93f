namespace RelaySigner.Dmarc.Reports.Collection;

/// <summary>The IMAP mailbox of the reports: <c>Relay:Dmarc:Imap:…</c>. Always over TLS, with the certificate checked.</summary>
public sealed class DmarcImapOptions
{
    /// <summary>The IMAP server's host name, as its certificate names it. Default empty: no polling.</summary>
    public string Host { get; set; } = "";

    /// <summary>Default 993 (implicit TLS).</summary>
    public int Port { get; set; } = 993;

    /// <summary><see cref="ImapSecurity.Tls"/> (implicit TLS, the default) or <see cref="ImapSecurity.StartTls"/>
    /// (plain connect, then STARTTLS, required: the login is never sent in clear).</summary>
    public ImapSecurity Security { get; set; } = ImapSecurity.Tls;

    /// <summary>The login name. Required with <see cref="Host"/>.</summary>
    public string User { get; set; } = "";

    /// <summary>A file holding the password (trailing line break ignored), read at each poll so it can be rotated.
    /// Required with <see cref="Host"/>.</summary>
    public string PasswordPath { get; set; } = "";

    /// <summary>The folder polled. Default <c>INBOX</c>.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>Where mail whose reports were stored (or stored before) is moved; created when missing. Default <c>DMARC-processed</c>.</summary>
    public string ProcessedFolder { get; set; } = "DMARC-processed";

    /// <summary>Where mail that carries no readable report is moved (and logged), so it is neither lost nor
    /// retried at every poll; created when missing. Default <c>DMARC-failed</c>.</summary>
    public string FailedFolder { get; set; } = "DMARC-failed";

    /// <summary>Time between polls. Default 5 minutes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A PEM file of certificates to trust as the server's issuer (or its own self-signed certificate), instead of
    /// the system's CAs; for a mailbox on a private CA. The host name is still checked. Default empty: the system's.
    /// </summary>
    public string? TrustedCertificatePath { get; set; }

    public bool Enabled => Host.Length > 0;
}
