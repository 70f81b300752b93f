namespace RelaySigner.Intake.Policy;

/// <summary>
/// When two RCPT addresses are the same recipient. The domain is compared without regard to case (RFC 5321 §2.4:
/// domain names are case-insensitive) and the local part exactly: §2.4 leaves its case to the destination host,
/// which may keep <c>Ann@</c> and <c>ann@</c> apart, so folding it could silently drop a real recipient, while
/// keeping both costs at most one extra copy.
/// </summary>
public sealed class EnvelopeRecipientComparer : IEqualityComparer<string>
{
    public static readonly EnvelopeRecipientComparer Instance = new();

    public bool Equals(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return ReferenceEquals(x, y);
        }

        var at = LocalPartLength(x);
        return at == LocalPartLength(y) &&
            x.AsSpan(0, at).SequenceEqual(y.AsSpan(0, at)) &&
            x.AsSpan(at).Equals(y.AsSpan(at), StringComparison.OrdinalIgnoreCase);
    }

    public int GetHashCode(string address)
    {
        var at = LocalPartLength(address);
        return HashCode.Combine(string.GetHashCode(address.AsSpan(0, at)), string.GetHashCode(address.AsSpan(at), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Up to the last @: a quoted local part may hold one, a domain never does.</summary>
    private static int LocalPartLength(string address) => address.LastIndexOf('@') is var at and >= 0 ? at : address.Length;
}
