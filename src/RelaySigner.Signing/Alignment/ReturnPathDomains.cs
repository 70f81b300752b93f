using System.Globalization;
using Microsoft.Extensions.Options;

namespace RelaySigner.Signing.Alignment;

/// <summary>
/// The VERP return-path domains of <see cref="DkimDomainOptions.ReturnPathDomain"/>: which one a From domain's mail
/// goes out with (the From domain's own, else its nearest parent's up to the organisational domain, as the signing
/// settings apply to subdomains), and whether a return-path domain keeps SPF aligned with the From domain (RFC 7489
/// §3.1.2, relaxed: the same organisational domain).
/// </summary>
public sealed class ReturnPathDomains
{
    private readonly Dictionary<string, string> _byDomain;
    private readonly PublicSuffixList _suffixes;

    public ReturnPathDomains(IOptions<DkimOptions> options, PublicSuffixList suffixes)
    {
        _suffixes = suffixes;
        _byDomain = options.Value.Domains
            .Where(entry => !string.IsNullOrWhiteSpace(entry.Value.ReturnPathDomain))
            .ToDictionary(entry => Normalize(entry.Key), entry => Normalize(entry.Value.ReturnPathDomain!), StringComparer.OrdinalIgnoreCase);
        All = [.. _byDomain.Values.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
    }

    /// <summary>False when no domain sets one: delivery keeps every envelope sender and looks at no From header.</summary>
    public bool Any => _byDomain.Count > 0;

    /// <summary>Every configured return-path domain, lower case, each once.</summary>
    public IReadOnlyList<string> All { get; }

    /// <summary>The (signing) domains that send with <paramref name="returnPathDomain"/>.</summary>
    public IEnumerable<string> DomainsUsing(string returnPathDomain) =>
        _byDomain.Where(entry => entry.Value.Equals(returnPathDomain, StringComparison.OrdinalIgnoreCase)).Select(entry => entry.Key);

    /// <summary>The return-path domain for mail from <paramref name="fromDomain"/>, or null when its sender is kept.</summary>
    public string? For(string fromDomain)
    {
        if (_byDomain.Count == 0)
        {
            return null;
        }

        var candidate = Normalize(fromDomain);
        var organizational = _suffixes.OrganizationalDomain(candidate);
        if (organizational is null)
        {
            return null;
        }

        while (true)
        {
            if (_byDomain.TryGetValue(candidate, out var returnPath))
            {
                return returnPath;
            }

            if (candidate.Length <= organizational.Length)
            {
                return null;
            }

            candidate = candidate[(candidate.IndexOf('.') + 1)..];
        }
    }

    /// <summary>Why <paramref name="returnPathDomain"/> cannot serve mail of <paramref name="domain"/>; null when it can.</summary>
    public static string? Problem(string domain, string returnPathDomain, PublicSuffixList suffixes)
    {
        var returnPath = Normalize(returnPathDomain);
        if (!IsHostName(returnPath))
        {
            return "is not a domain name";
        }

        var organizational = suffixes.OrganizationalDomain(Normalize(domain));
        if (organizational is null)
        {
            return $"cannot be used: {domain} is a public suffix";
        }

        return returnPath == organizational || returnPath.EndsWith("." + organizational, StringComparison.Ordinal)
            ? null
            : $"is not {organizational} or below it, so SPF for it would not align with {domain} (RFC 7489 section 3.1.2)";
    }

    private static string Normalize(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();

    private static bool IsHostName(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        try
        {
            // A-labels only, as DNS carries them: an internationalised name is written in its xn-- form.
            return new IdnMapping().GetAscii(name) == name &&
                name.Split('.').All(label => label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' &&
                    label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
