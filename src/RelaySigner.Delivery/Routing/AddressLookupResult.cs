using System.Net;

namespace RelaySigner.Delivery.Routing;

/// <summary>The answer to the A and AAAA questions for one host; <see cref="Error"/> says why when <see cref="Status"/> is temporary.</summary>
internal sealed record AddressLookupResult(DnsLookupStatus Status, IReadOnlyList<IPAddress> Addresses, string? Error);
