using Microsoft.Extensions.Logging;
using MimeKit.Cryptography;

namespace RelaySigner.Signing;

internal static partial class SigningLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "DKIM key loaded: d={Domain} s={Selector} a={Algorithm} from {Path}")]
    public static partial void KeyLoaded(ILogger logger, string domain, string selector, DkimSignatureAlgorithm algorithm, string path);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "message from {ClientAddress} refused at signing: {Reply}")]
    public static partial void Refused(ILogger logger, string? clientAddress, string reply);
}
