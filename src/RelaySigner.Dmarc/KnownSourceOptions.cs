namespace RelaySigner.Dmarc;

/// <summary>One named sender, bound from <c>Relay:Dmarc:KnownSources:&lt;n&gt;</c>.</summary>
public sealed class KnownSourceOptions
{
    /// <summary>What the dashboard calls it, e.g. <c>Newsletter service</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Its sending addresses: IPs or CIDR networks (<c>198.51.100.0/24</c>, <c>2001:db8::/48</c>).</summary>
    public List<string> Networks { get; set; } = [];
}
