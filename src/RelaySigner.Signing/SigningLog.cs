using Microsoft.Extensions.Logging;
using MimeKit.Cryptography;
using RelaySigner.Core.Signing;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Signing;

internal static partial class SigningLog
{
    [LoggerMessage(EventId = EventIds.Signing.KeyLoaded, Level = LogLevel.Information, Message = "DKIM key loaded: d={Domain} s={Selector} a={Algorithm} bits={Bits} from {Path}")]
    public static partial void KeyLoaded(ILogger logger, string domain, string selector, DkimSignatureAlgorithm algorithm, int bits, string path);

    [LoggerMessage(EventId = EventIds.Signing.Refused, Level = LogLevel.Information, Message = "message from {ClientAddress} refused at signing: {Reply}")]
    public static partial void Refused(ILogger logger, string? clientAddress, string reply);

    [LoggerMessage(EventId = EventIds.Signing.KeysReloaded, Level = LogLevel.Information, Message = "DKIM keys reloaded: {KeyCount} keys for {DomainCount} domains from {KeysPath}")]
    public static partial void KeysReloaded(ILogger logger, int keyCount, int domainCount, string keysPath);

    /// <param name="error">Names the file and the reason, never the file's content.</param>
    [LoggerMessage(EventId = EventIds.Signing.KeyReloadFailed, Level = LogLevel.Error, Message = "DKIM key reload: {Error}")]
    public static partial void KeyReloadFailed(ILogger logger, string error);

    [LoggerMessage(EventId = EventIds.Signing.RelayedUnsigned, Level = LogLevel.Warning, Message = "message from {ClientAddress} relayed unsigned: no DKIM key for {FromDomain}, and its domain is configured to relay unsigned")]
    public static partial void RelayedUnsigned(ILogger logger, string? clientAddress, string fromDomain);

    [LoggerMessage(EventId = EventIds.Signing.PublishedKeyRejected, Level = LogLevel.Warning, Message = "DKIM d={Domain} s={Selector}: {Verdict} in DNS, not signing with it until it matches")]
    public static partial void PublishedKeyRejected(ILogger logger, string domain, string selector, PublishedKeyVerdict verdict);

    [LoggerMessage(EventId = EventIds.Signing.PublishedKeyMatches, Level = LogLevel.Information, Message = "DKIM d={Domain} s={Selector}: published key matches")]
    public static partial void PublishedKeyMatches(ILogger logger, string domain, string selector);

    [LoggerMessage(EventId = EventIds.Signing.PublishedKeyLookupFailed, Level = LogLevel.Warning, Message = "DKIM d={Domain} s={Selector}: DNS lookup failed; keeps its last verdict")]
    public static partial void PublishedKeyLookupFailed(ILogger logger, string domain, string selector);

    /// <param name="warning">Names the file, its mode and the fix.</param>
    [LoggerMessage(EventId = EventIds.Signing.KeyReadableByOthers, Level = LogLevel.Warning, Message = "DKIM private key not private: {Warning}")]
    public static partial void KeyReadableByOthers(ILogger logger, string warning);
}
