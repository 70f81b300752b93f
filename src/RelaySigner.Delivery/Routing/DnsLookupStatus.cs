namespace RelaySigner.Delivery.Routing;

/// <summary>How a DNS question ended, in the terms the resolver classifies failures by.</summary>
internal enum DnsLookupStatus
{
    /// <summary>The name exists; the answer may still be empty (NODATA).</summary>
    Ok,

    /// <summary>NXDOMAIN: the name does not exist.</summary>
    NotFound,

    /// <summary>SERVFAIL, REFUSED, timeout, unreachable resolver: ask again later.</summary>
    Temporary,
}
