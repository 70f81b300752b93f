using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Operations;

internal static partial class OperationsLog
{
    [LoggerMessage(EventId = EventIds.Host.Started, Level = LogLevel.Information,
        Message = "relaysigner {Version}: config={ConfigurationFolder} environment={Environment} listeners={Listeners} delivery={Delivery} queue={Queue} keys={Keys} certificate={Certificate}")]
    public static partial void Started(ILogger logger, string version, string configurationFolder, string environment, string listeners, string delivery, string queue, string keys, string certificate);

    [LoggerMessage(EventId = EventIds.Host.SigningWithDemoKey, Level = LogLevel.Warning,
        Message = "signing d={Domain} s={Selector} with a public demo key ({Path}): anyone can sign as this domain with it; never use it for real mail")]
    public static partial void SigningWithDemoKey(ILogger logger, string domain, string selector, string path);

    [LoggerMessage(EventId = EventIds.Host.CertificateExpiring, Level = LogLevel.Warning, Message = "TLS certificate {Subject} expires {NotAfter:o}, in {Days} days: renew it")]
    public static partial void CertificateExpiring(ILogger logger, string subject, DateTimeOffset notAfter, int days);
}
