using System.Net;
using RelaySigner.Dmarc.Lookup;

namespace RelaySigner.Dmarc.Checks;

/// <summary>
/// What a VERP return-path domain must publish: an SPF record that authorises the relay (receivers check SPF against
/// the MAIL FROM domain, and DMARC takes the pass when that domain is aligned with From), and an MX that points at the
/// relay's inbound listener, or bounces never come back.
/// </summary>
public sealed class ReturnPathCheck(TxtLookup txt, SpfEvaluator evaluator, MxLookup mx)
{
    private const string Subject = "Return-Path";

    /// <param name="inboundHost">The name the MX must point at (the relay's public name); null: not checked.</param>
    public async Task<IReadOnlyList<CheckResult>> CheckAsync(
        string returnPathDomain, string? inboundHost, IReadOnlyList<IPAddress> relayAddresses, CancellationToken cancellationToken)
    {
        var spf = await new SpfCheck(txt, evaluator).CheckAsync(returnPathDomain, relayAddresses, cancellationToken).ConfigureAwait(false);
        List<CheckResult> results = [.. spf.Select(r => r with { Subject = $"{Subject} SPF" })];

        var exchanges = await mx.FindAsync(returnPathDomain, cancellationToken).ConfigureAwait(false);
        results.Add(exchanges.Count == 0
            ? new(Subject + " MX", CheckStatus.Fail, $"{returnPathDomain} publishes no MX: bounces to it cannot reach the relay")
            : inboundHost is null
                ? new(Subject + " MX", CheckStatus.Warn, $"{returnPathDomain} MX {string.Join(", ", exchanges)}; set Relay:Smtp:ServerName to check it names the relay")
                : exchanges.Contains(inboundHost.TrimEnd('.'), StringComparer.OrdinalIgnoreCase)
                    ? new(Subject + " MX", CheckStatus.Pass, $"{returnPathDomain} MX points at the relay's inbound listener {inboundHost}")
                    : new(Subject + " MX", CheckStatus.Fail, $"{returnPathDomain} MX is {string.Join(", ", exchanges)}, not the relay's inbound host {inboundHost}"));
        return results;
    }
}
