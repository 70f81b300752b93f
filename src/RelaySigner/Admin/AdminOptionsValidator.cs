using System.Net;
using Microsoft.Extensions.Options;
using RelaySigner.Admin.Auth;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Admin;

/// <summary>Checks <see cref="AdminOptions"/> and reports every problem at once.</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var errors = new List<string>();
        const string Prefix = AdminOptions.SectionName;
        var urls = new List<Uri>();
        foreach (var url in options.UrlList)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                urls.Add(uri);
            }
            else
            {
                errors.Add($"{Prefix}:Urls must be absolute http(s) URLs separated by ';' ('{url}' is not).");
            }
        }

        // The dashboard shows every domain's senders and the queue: reachable from a network, it needs a login.
        if (!options.HasAuthentication && urls.FirstOrDefault(u => !IsLoopback(u)) is { } exposed)
        {
            errors.Add($"{Prefix}:Urls binds {exposed.Host}, which is not loopback, and no authentication is configured: " +
                $"add {Prefix}:Users (hashes from 'relaysigner users hash-password') or {Prefix}:TokenPath, or bind 127.0.0.1.");
        }

        if (options.ReadinessTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Prefix}:ReadinessTimeout must be positive.");
        }

        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            if (string.IsNullOrWhiteSpace(user.Name))
            {
                errors.Add($"{Prefix}:Users:{i}:Name is required.");
            }

            if (!PasswordHash.IsWellFormed(user.PasswordHash))
            {
                errors.Add($"{Prefix}:Users:{i}:PasswordHash is not a hash from 'relaysigner users hash-password'.");
            }
        }

        if (options.Users.GroupBy(u => u.Name, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            errors.Add($"{Prefix}:Users: user names must be unique.");
        }

        if (!string.IsNullOrWhiteSpace(options.TokenPath) && AdminToken.Problem(options.TokenPath) is { } problem)
        {
            errors.Add($"{Prefix}:TokenPath: {problem}");
        }

        if (options.MaxLoginFailures < 1)
        {
            errors.Add($"{Prefix}:MaxLoginFailures must be 1 or more.");
        }

        if (options.LoginFailureWindow <= TimeSpan.Zero)
        {
            errors.Add($"{Prefix}:LoginFailureWindow must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>127.0.0.0/8, ::1 or <c>localhost</c>; a wildcard (<c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, <c>+</c>) or any other name is not.</summary>
    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
