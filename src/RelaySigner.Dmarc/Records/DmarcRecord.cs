using System.Globalization;

namespace RelaySigner.Dmarc.Records;

/// <summary>
/// A DMARC policy record (RFC 7489 §6.3) as published at <c>_dmarc.&lt;domain&gt;</c>. Unknown tags are ignored,
/// as the RFC asks; every syntax problem found is listed in <see cref="Errors"/> (empty when valid).
/// </summary>
public sealed record DmarcRecord(
    string Policy,
    string? SubdomainPolicy,
    int Percent,
    string DkimAlignment,
    string SpfAlignment,
    IReadOnlyList<string> AggregateReportUris,
    IReadOnlyList<string> FailureReportUris,
    IReadOnlyList<string> Errors)
{
    private static readonly string[] Policies = ["none", "quarantine", "reject"];

    public bool IsValid => Errors.Count == 0;

    public static DmarcRecord Parse(string text)
    {
        var errors = new List<string>();
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var parts = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in parts)
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                errors.Add($"'{part}' is not a tag=value pair");
                continue;
            }

            if (!tags.TryAdd(part[..equals].Trim(), part[(equals + 1)..].Trim()))
            {
                errors.Add($"tag {part[..equals].Trim()} appears twice");
            }
        }

        if (parts.Length == 0 || !parts[0].Replace(" ", string.Empty).Equals("v=DMARC1", StringComparison.Ordinal))
        {
            errors.Add("the record must start with v=DMARC1");
        }

        var policy = tags.GetValueOrDefault("p")?.ToLowerInvariant();
        if (policy is null)
        {
            errors.Add("p= is missing");
        }
        else if (!Policies.Contains(policy))
        {
            errors.Add($"p={policy} is not none, quarantine or reject");
        }

        var subdomainPolicy = tags.GetValueOrDefault("sp")?.ToLowerInvariant();
        if (subdomainPolicy is not null && !Policies.Contains(subdomainPolicy))
        {
            errors.Add($"sp={subdomainPolicy} is not none, quarantine or reject");
        }

        var percent = 100;
        if (tags.TryGetValue("pct", out var pctText) &&
            (!int.TryParse(pctText, NumberStyles.None, CultureInfo.InvariantCulture, out percent) || percent > 100))
        {
            errors.Add($"pct={pctText} is not a whole number from 0 to 100");
            percent = 100;
        }

        return new DmarcRecord(
            policy ?? "none",
            subdomainPolicy,
            percent,
            Alignment(tags, "adkim", errors),
            Alignment(tags, "aspf", errors),
            Uris(tags, "rua", errors),
            Uris(tags, "ruf", errors),
            errors);
    }

    /// <summary>The record as text to publish, tags in the usual order.</summary>
    public string Format()
    {
        var text = $"v=DMARC1; p={Policy}";
        text += SubdomainPolicy is null ? string.Empty : $"; sp={SubdomainPolicy}";
        text += Percent == 100 ? string.Empty : $"; pct={Percent}";
        text += DkimAlignment == "r" ? string.Empty : $"; adkim={DkimAlignment}";
        text += SpfAlignment == "r" ? string.Empty : $"; aspf={SpfAlignment}";
        text += AggregateReportUris.Count == 0 ? string.Empty : $"; rua={string.Join(',', AggregateReportUris)}";
        text += FailureReportUris.Count == 0 ? string.Empty : $"; ruf={string.Join(',', FailureReportUris)}";
        return text;
    }

    private static string Alignment(Dictionary<string, string> tags, string tag, List<string> errors)
    {
        var value = tags.GetValueOrDefault(tag)?.ToLowerInvariant() ?? "r";
        if (value is not ("r" or "s"))
        {
            errors.Add($"{tag}={value} is not r or s");
            return "r";
        }

        return value;
    }

    private static IReadOnlyList<string> Uris(Dictionary<string, string> tags, string tag, List<string> errors)
    {
        if (!tags.TryGetValue(tag, out var value))
        {
            return [];
        }

        var uris = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var uri in uris.Where(u => !u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || !u.Contains('@')))
        {
            errors.Add($"{tag} URI '{uri}' is not a mailto: address");
        }

        return uris;
    }
}
