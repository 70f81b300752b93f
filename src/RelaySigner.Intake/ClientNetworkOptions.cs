namespace RelaySigner.Intake;

/// <summary>
/// Networks of one client (an application, a tenant) that may relay without AUTH, bound from
/// <c>Relay:Smtp:Clients:&lt;n&gt;</c>. Unlike <c>AllowedNetworks</c>, such a client may only send as its own domains.
/// </summary>
public sealed class ClientNetworkOptions
{
    /// <summary>CIDR networks of this client, e.g. <c>10.1.2.0/24</c>.</summary>
    public string[] Networks { get; set; } = [];

    /// <summary>From domains (and their subdomains) this client may use; <c>*</c> means any.</summary>
    public string[] AllowedFromDomains { get; set; } = [];

    /// <summary>
    /// Everything this client sends is bulk mail: it gets a one-click List-Unsubscribe (RFC 8058) and falls under
    /// <c>Relay:Bulk</c>. Default false.
    /// </summary>
    public bool Bulk { get; set; }
}
