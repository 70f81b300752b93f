namespace RelaySigner.Delivery.Routing;

/// <summary>Finds where mail for a recipient domain goes: the smarthost, the domain's MX hosts, or its implicit MX.</summary>
public interface IDestinationResolver
{
    /// <summary>
    /// Resolves <paramref name="domain"/> (the part after the last '@' of a recipient; an address literal such as
    /// <c>[192.0.2.1]</c> is accepted). Never throws for DNS problems: they come back as a temporary or permanent
    /// failure. Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    Task<DestinationResolution> ResolveAsync(string domain, CancellationToken cancellationToken);
}
