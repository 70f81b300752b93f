using Microsoft.Extensions.Options;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Feedback.Unsubscribe;

/// <summary>
/// The List-Unsubscribe value of one bulk recipient: <c>&lt;https://BASE/u/TOKEN&gt;</c> and, with a return-path
/// domain, <c>&lt;mailto:u-TOKEN@domain&gt;</c> (RFC 2369 §3.2: the HTTPS URI first, the one RFC 8058 posts to).
/// Both carry the same sealed token; one AES-GCM encryption and one HMAC per recipient.
/// </summary>
/// <param name="codec">Null when no base URL is configured (so no key file is made for nothing).</param>
public sealed class UnsubscribeLinks(IOptions<UnsubscribeOptions> options, UnsubscribeTokenCodec? codec, TimeProvider time) : IUnsubscribeLinks
{
    private readonly string? _base = string.IsNullOrWhiteSpace(options.Value.BaseUrl) ? null : options.Value.BaseUrl.TrimEnd('/');

    public bool RequireOwn => options.Value.Require;

    public string? ListUnsubscribe(string recipient, string organisationalDomain, string? returnPathDomain)
    {
        if (_base is null || codec is null)
        {
            return null;
        }

        var sealedToken = codec.Seal(new UnsubscribeToken(recipient, organisationalDomain, time.GetUtcNow()));
        var https = $"<{_base}/u/{UnsubscribeTokenCodec.UrlForm(sealedToken)}>";
        // Folded after the comma: the field stays within 998 octets a line (RFC 5322 §2.1.1) whatever the lengths.
        return string.IsNullOrWhiteSpace(returnPathDomain)
            ? https
            : $"{https},\r\n <mailto:{UnsubscribeTokenCodec.LocalPartForm(sealedToken)}@{returnPathDomain.Trim().TrimEnd('.')}>";
    }
}
