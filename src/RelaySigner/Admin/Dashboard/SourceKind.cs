namespace RelaySigner.Admin.Dashboard;

/// <summary>Who sent reported mail, by its source IP.</summary>
public enum SourceKind
{
    /// <summary>One of <c>Relay:Delivery:SourceAddresses</c>.</summary>
    Relay,

    /// <summary>One of <c>Relay:Dmarc:KnownSources</c>.</summary>
    Known,

    Unknown,
}
