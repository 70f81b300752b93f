namespace RelaySigner.Signing;

/// <summary>How one domain signs: <c>Relay:Dkim:Domains:&lt;domain&gt;</c>.</summary>
public sealed class DkimDomainOptions
{
    /// <summary>Selectors that sign (e.g. an RSA and an Ed25519 one). Empty (default): every key in the domain's folder.</summary>
    public List<string> Selectors { get; set; } = [];

    /// <summary><c>header/body</c> canonicalization, each <c>relaxed</c> or <c>simple</c>. Default <c>relaxed/relaxed</c>.</summary>
    public string Canonicalization { get; set; } = "relaxed/relaxed";

    /// <summary>Header fields signed besides the default list (each oversigned the same way), e.g. <c>X-Campaign-Id</c>.</summary>
    public List<string> ExtraHeaders { get; set; } = [];

    /// <summary>
    /// Optional signature lifetime, written as <c>x=</c>. Default none. Keep it longer than the queue's
    /// <c>Relay:Delivery:MaxAge</c>: a message delivered after x= arrives with an expired signature.
    /// </summary>
    public TimeSpan? SignatureLifetime { get; set; }

    /// <summary>
    /// When true, mail whose From is this domain (or a subdomain of it) but has no aligned key is relayed unsigned
    /// instead of refused with 550 5.7.1. Default false.
    /// </summary>
    public bool RelayUnsigned { get; set; }

    /// <summary>
    /// The domain of the VERP Return-Path this domain's mail (and its subdomains') goes out with, e.g.
    /// <c>bounces.example.com</c>: each recipient gets its own transaction with <c>MAIL FROM:&lt;b-TOKEN@…&gt;</c>, so
    /// SPF is aligned with the From domain and a bounce names its message and recipient. It must be the From domain's
    /// organisational domain or below it (otherwise SPF would not align), publish an SPF record that authorises the
    /// relay and an MX pointing at its inbound listener (<c>relaysigner dns records</c>). Default none: the client's
    /// envelope sender is kept.
    /// </summary>
    public string? ReturnPathDomain { get; set; }

    /// <summary>
    /// Mail whose From is this domain (or a subdomain) is bulk mail: it gets a one-click List-Unsubscribe (RFC 8058)
    /// and falls under <c>Relay:Bulk</c>. Default false.
    /// </summary>
    public bool Bulk { get; set; }
}
