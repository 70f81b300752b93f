using Microsoft.Extensions.Options;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Admin.Auth;

/// <summary>The dashboard's users by name (case-sensitive), checked with the same PBKDF2 hashes as SMTP AUTH.</summary>
public sealed class AdminUserDirectory
{
    private readonly Dictionary<string, AdminUserOptions> _users;
    private readonly Lazy<string> _unknownUserHash;

    public AdminUserDirectory(IOptions<AdminOptions> options)
    {
        _users = options.Value.Users.ToDictionary(u => u.Name, StringComparer.Ordinal);
        // An unknown name is checked against a throwaway hash, so it takes as long as a wrong password.
        _unknownUserHash = new Lazy<string>(() => PasswordHash.Create(Guid.NewGuid().ToString()));
    }

    public bool HasUsers => _users.Count > 0;

    /// <returns>The user's name when the password is right; null otherwise.</returns>
    public string? Verify(string name, string password)
    {
        var user = _users.GetValueOrDefault(name);
        return PasswordHash.Verify(password, user?.PasswordHash ?? _unknownUserHash.Value) && user is not null ? user.Name : null;
    }
}
