using Microsoft.Extensions.Options;

namespace RelaySigner.Intake.Auth;

/// <summary>The configured AUTH users by name (case-sensitive, as most SASL implementations).</summary>
public sealed class UserDirectory
{
    private readonly Dictionary<string, SmtpUserOptions> _users;
    private readonly Lazy<string> _unknownUserHash;

    public UserDirectory(IOptions<SmtpOptions> options)
    {
        _users = options.Value.Users.ToDictionary(u => u.Name, StringComparer.Ordinal);

        // Checked against for unknown names, so "no such user" takes as long as "wrong password". Made on first
        // use: with no users configured it would cost every start a full-strength PBKDF2 run.
        var iterations = _users.Values.Select(u => IterationsOf(u.PasswordHash)).DefaultIfEmpty(PasswordHash.DefaultIterations).Max();
        _unknownUserHash = new Lazy<string>(() => PasswordHash.Create(Guid.NewGuid().ToString(), iterations));
    }

    public bool HasUsers => _users.Count > 0;

    internal string UnknownUserHash => _unknownUserHash.Value;

    public SmtpUserOptions? Find(string name) => _users.GetValueOrDefault(name);

    private static int IterationsOf(string hash) =>
        hash.Split('$') is [_, var iterations, _, _] && int.TryParse(iterations, out var n) ? n : PasswordHash.DefaultIterations;
}
