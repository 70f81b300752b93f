namespace RelaySigner.Dmarc.Reports.Collection;

/// <summary>How the IMAP connection gets its TLS.</summary>
public enum ImapSecurity
{
    /// <summary>TLS from the first byte (port 993).</summary>
    Tls,

    /// <summary>Plain connect, then STARTTLS before the login (port 143); a server without it is refused.</summary>
    StartTls,
}
