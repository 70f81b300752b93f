namespace RelaySigner.Feedback.Unsubscribe;

/// <summary>One-click unsubscribe (RFC 8058) of bulk mail: <c>Relay:Unsubscribe:…</c>.</summary>
public sealed class UnsubscribeOptions
{
    public const string SectionName = "Relay:Unsubscribe";

    /// <summary>
    /// The public https address of the unsubscribe endpoint as receivers reach it, e.g.
    /// <c>https://unsubscribe.example.com</c>; links are <c>BASE/u/TOKEN</c>. RFC 8058 §3.1 wants an HTTPS URI, so
    /// only https is accepted. Default none: bulk mail is then relayed only with its own unsubscribe headers.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// Where the endpoint listens, separated by ';', e.g. <c>https://0.0.0.0:443</c> (with the certificate of
    /// <c>Relay:Smtp:Tls</c>) or <c>http://127.0.0.1:8080</c> behind a TLS proxy. Default none (no listener).
    /// </summary>
    public string? Urls { get; set; }

    /// <summary>
    /// The key file of the tokens (32 random bytes), relative to the content root. Created with mode 0600 when it
    /// does not exist; every node of a cluster must read the same file. Default <c>data/unsubscribe.key</c>.
    /// </summary>
    public string KeyPath { get; set; } = "data/unsubscribe.key";

    /// <summary>
    /// When true, bulk mail without a usable unsubscribe of its own (an https List-Unsubscribe and
    /// <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>) is refused with 550 5.7.1, instead of the relay
    /// adding one. Default false.
    /// </summary>
    public bool Require { get; set; }

    /// <summary>Largest request body the endpoint reads (the one-click body is 26 bytes). Default 1024 bytes.</summary>
    public int MaxRequestBodySize { get; set; } = 1024;

    public IReadOnlyList<string> UrlList => (Urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
