using System.Net;
using ARSoft.Tools.Net.Dns;
using ARSoft.Tools.Net.Spf;

namespace RelaySigner.Dmarc.Lookup;

/// <summary>
/// RFC 7208 check_host() through ARSoft.Tools.Net's validator: macros, include/redirect recursion and the lookup
/// limits are subtle enough that a maintained implementation beats a hand-written one.
/// </summary>
public sealed class SpfEvaluator(IPEndPoint? dnsServer)
{
    public async Task<SpfQualifier> CheckHostAsync(IPAddress client, string domain, CancellationToken cancellationToken)
    {
        var validator = new SpfValidator { DnsResolver = CreateResolver() };
        var result = await validator.CheckHostAsync(client, domain, $"postmaster@{domain}", false, cancellationToken).ConfigureAwait(false);
        return result.Result;
    }

    private IDnsResolver CreateResolver()
    {
        if (dnsServer is null)
        {
            return new DnsStubResolver();
        }

        var client = new ARSoft.Tools.Net.Dns.DnsClient(
            [dnsServer.Address],
            [new UdpClientTransport(dnsServer.Port), new TcpClientTransport(dnsServer.Port)],
            disposeTransport: true,
            queryTimeout: 5000);
        return new DnsStubResolver(client);
    }
}
