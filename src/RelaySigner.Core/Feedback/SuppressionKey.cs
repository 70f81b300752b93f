namespace RelaySigner.Core.Feedback;

/// <summary>
/// The forms the suppression list keys its entries by, so that every store and every caller compares alike: the
/// domain part of an address ignoring case, its local part exactly (RFC 5321 §2.4: only the receiving host may
/// treat a local part as case-insensitive).
/// </summary>
public static class SuppressionKey
{
    /// <summary>The address with its domain part in lower case and the local part as given.</summary>
    public static string Recipient(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var trimmed = address.Trim();
        var at = trimmed.LastIndexOf('@');
        if (at < 0)
        {
            return trimmed;
        }

        var domain = trimmed.AsSpan(at + 1);
        foreach (var c in domain)
        {
            if (char.IsUpper(c))
            {
                return string.Concat(trimmed.AsSpan(0, at + 1), domain.ToString().ToLowerInvariant());
            }
        }

        return trimmed;
    }

    /// <summary>A domain as the list keeps it: lower case, without a trailing dot.</summary>
    public static string Domain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return domain.Trim().TrimEnd('.').ToLowerInvariant();
    }
}
