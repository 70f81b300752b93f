namespace RelaySigner.Intake;

/// <summary>A user that may AUTH (over TLS only), bound from <c>Relay:Smtp:Users:&lt;n&gt;</c>.</summary>
public sealed class SmtpUserOptions
{
    /// <summary>The AUTH user name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Output of <c>relaysigner users hash-password</c> (PBKDF2-SHA256); never the password itself.</summary>
    public string PasswordHash { get; set; } = string.Empty;

    /// <summary>From domains (and their subdomains) this user may use; <c>*</c> means any.</summary>
    public string[] AllowedFromDomains { get; set; } = [];

    /// <summary>
    /// Everything this user sends is bulk mail: it gets a one-click List-Unsubscribe (RFC 8058) and falls under
    /// <c>Relay:Bulk</c>. Default false.
    /// </summary>
    public bool Bulk { get; set; }
}
