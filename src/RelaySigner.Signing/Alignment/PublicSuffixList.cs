using System.Globalization;
using System.Reflection;

namespace RelaySigner.Signing.Alignment;

/// <summary>
/// Organisational domains (RFC 7489 §3.2) from the Public Suffix List shipped with this project (see README.md in
/// this folder). Hand-written because no maintained PSL package is available from the package feed this project
/// builds from; the algorithm is the list's own (https://publicsuffix.org/list/): the longest matching rule wins,
/// <c>*</c> matches one label, a <c>!</c> exception rule wins over a wildcard, and an unlisted TLD is a suffix.
/// Both the ICANN and the private sections are used, so <c>someone.github.io</c> never aligns with <c>github.io</c>.
/// </summary>
public sealed class PublicSuffixList
{
    private readonly HashSet<string> _rules;
    private readonly HashSet<string> _wildcards;
    private readonly HashSet<string> _exceptions;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcards, HashSet<string> exceptions)
    {
        _rules = rules;
        _wildcards = wildcards;
        _exceptions = exceptions;
    }

    /// <summary>The list embedded in this assembly.</summary>
    public static PublicSuffixList Shipped { get; } = LoadShipped();

    public static PublicSuffixList Parse(TextReader reader)
    {
        var idn = new IdnMapping();
        HashSet<string> rules = new(StringComparer.Ordinal), wildcards = new(StringComparer.Ordinal), exceptions = new(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var rule = line.Trim();
            if (rule.Length == 0 || rule.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            // Rules of internationalised suffixes are written in Unicode; messages carry A-labels.
            var set = rule[0] == '!' ? exceptions : rule.StartsWith("*.", StringComparison.Ordinal) ? wildcards : rules;
            var name = rule.TrimStart('!', '*', '.');
            set.Add(idn.GetAscii(name).ToLowerInvariant());
        }

        return new PublicSuffixList(rules, wildcards, exceptions);
    }

    /// <summary>
    /// The organisational domain of <paramref name="domain"/> (lower-case A-labels): its public suffix plus one
    /// label. Null when the domain is itself a public suffix (e.g. <c>co.uk</c>), which no one may sign for.
    /// </summary>
    public string? OrganizationalDomain(string domain)
    {
        var labels = domain.TrimEnd('.').ToLowerInvariant().Split('.');
        var suffixLabels = SuffixLabelCount(labels);
        return labels.Length > suffixLabels ? string.Join('.', labels[^(suffixLabels + 1)..]) : null;
    }

    private int SuffixLabelCount(string[] labels)
    {
        var longest = 1; // the implicit "*" rule: an unlisted TLD is a public suffix
        for (var count = 1; count <= labels.Length; count++)
        {
            var candidate = string.Join('.', labels[^count..]);
            if (_exceptions.Contains(candidate))
            {
                return count - 1; // "!www.ck": www.ck is registrable, so the suffix is one label shorter
            }

            if (_rules.Contains(candidate))
            {
                longest = count;
            }

            if (count > 1 && _wildcards.Contains(string.Join('.', labels[^(count - 1)..])))
            {
                longest = count;
            }
        }

        return longest;
    }

    private static PublicSuffixList LoadShipped()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("RelaySigner.Signing.public_suffix_list.dat")
            ?? throw new InvalidOperationException("public_suffix_list.dat is not embedded in RelaySigner.Signing");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
