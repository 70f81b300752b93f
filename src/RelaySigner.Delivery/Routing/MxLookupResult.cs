namespace RelaySigner.Delivery.Routing;

/// <summary>The answer to an MX question; <see cref="Error"/> says why when <see cref="Status"/> is temporary.</summary>
internal sealed record MxLookupResult(DnsLookupStatus Status, IReadOnlyList<MxEntry> Records, string? Error);
