using System.Globalization;

namespace RelaySigner.Intake.Policy;

internal static class FromDomainList
{
    /// <summary>
    /// Configured domains as <see cref="RelaySigner.Core.Signing.SenderIdentity"/> expects them: lower case, an
    /// internationalised name in its ASCII form (as the From and MAIL FROM domains are compared); <c>*</c> means any (null).
    /// </summary>
    public static IReadOnlyList<string>? Parse(IEnumerable<string> configured)
    {
        var domains = configured.Select(d => d.Trim().TrimStart('.').ToLowerInvariant()).Where(d => d.Length > 0).ToList();
        return domains.Contains("*") ? null : domains.Select(ToAscii).ToList();
    }

    private static string ToAscii(string domain)
    {
        try
        {
            return new IdnMapping().GetAscii(domain);
        }
        catch (ArgumentException)
        {
            return domain; // not a domain name: matches nothing, as before
        }
    }
}
