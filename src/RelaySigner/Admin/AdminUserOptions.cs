namespace RelaySigner.Admin;

/// <summary>A person who may log in to the dashboard, bound from <c>Relay:Admin:Users:&lt;n&gt;</c>.</summary>
public sealed class AdminUserOptions
{
    /// <summary>The login name (case-sensitive).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Output of <c>relaysigner users hash-password</c> (PBKDF2-SHA256); never the password itself.</summary>
    public string PasswordHash { get; set; } = string.Empty;
}
