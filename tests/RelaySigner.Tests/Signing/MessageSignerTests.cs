using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core.Signing;
using RelaySigner.Intake;
using RelaySigner.Signing;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Keys;
using RelaySigner.Tools;

namespace RelaySigner.Tests.Signing;

public sealed class MessageSignerTests(SigningKeysFixture keys) : IClassFixture<SigningKeysFixture>, IDisposable
{
    private static readonly SenderIdentity Client = new(System.Net.IPAddress.Loopback, null);
    private readonly List<DkimKeyStore> _stores = [];

    private static byte[] Message(string from, string extraHeaders = "", string body = "Hello,\r\n\r\n  spaced   line \r\n..leading dot\r\nlast\r\n") =>
        Encoding.UTF8.GetBytes(
            $"{extraHeaders}From: Demo <{from}>\r\nTo: someone@example.org\r\nSubject: test\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n" +
            $"Message-ID: <1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}");

    [Fact]
    public void Output_is_the_received_bytes_with_one_signature_per_key_prepended()
    {
        var original = Message("demo@example.com");

        var result = Signer().Sign(original, Client);

        Assert.Null(result.Refusal);
        Assert.Equal("example.com", result.SigningDomain);
        var signed = result.SignedMessage!;
        Assert.Equal(original, signed[^original.Length..]);
        var added = Encoding.ASCII.GetString(signed[..^original.Length]);
        Assert.False(LineEndings.HasBareCrOrLf(signed));
        Assert.DoesNotContain("\r\n\r\n", added);
        var signatures = Signatures(added);
        Assert.Equal(2, signatures.Count);
        Assert.Equal(["ed25519-sha256", "rsa-sha256"], signatures.Select(t => t["a"]).Order());
        Assert.All(signatures, tags =>
        {
            Assert.Equal("example.com", tags["d"]);
            Assert.Equal("relaxed/relaxed", tags["c"]);
            Assert.False(tags.ContainsKey("l"));
            Assert.False(tags.ContainsKey("x"));
        });
    }

    [Fact]
    public void Both_signatures_verify()
    {
        var signed = Signer().Sign(Message("demo@news.example.com"), Client).SignedMessage!;

        Assert.Equal(
            ["dkim=pass d=example.com s=ed2026 a=ed25519-sha256", "dkim=pass d=example.com s=rsa2026 a=rsa-sha256"],
            Verify(signed).Order());
    }

    [Fact]
    public void Each_header_of_the_default_list_is_signed_once_more_than_it_occurs()
    {
        var signed = Signer().Sign(Message("demo@example.com", extraHeaders: "Received: from app.internal by relay\r\nX-Mailer: app\r\n"), Client).SignedMessage!;

        Assert.Equal(
            "from:from:reply-to:subject:subject:date:date:message-id:message-id:to:to:cc:mime-version:mime-version:" +
            "content-type:content-type:content-transfer-encoding:in-reply-to:references:list-id:list-unsubscribe:" +
            "list-unsubscribe-post:feedback-id",
            Signatures(Encoding.ASCII.GetString(signed))[0]["h"]);
    }

    [Theory]
    [InlineData("From: Mallory <mallory@example.com>\r\n")]
    [InlineData("Subject: urgent: new bank details\r\n")]
    [InlineData("List-Unsubscribe: <https://evil.example/u>\r\n")]
    [InlineData("Reply-To: mallory@evil.example\r\n")]
    public void A_copy_of_a_signed_header_added_in_transit_breaks_both_signatures(string added)
    {
        var signed = Signer().Sign(Message("demo@example.com"), Client).SignedMessage!;

        var tampered = InsertAfterSignatures(signed, added);

        Assert.All(Verify(tampered), result => Assert.StartsWith("dkim=fail", result));
    }

    [Fact]
    public void A_received_header_on_top_is_not_signed_so_later_trace_headers_do_not_matter()
    {
        var original = Message("demo@example.com", extraHeaders: "Received: from app.internal ([192.0.2.7]) by relay.example.com; Sat, 28 Nov 2026 10:00:01 +0000\r\n");

        var signed = Signer().Sign(original, Client).SignedMessage!;
        var withMoreTrace = InsertAfterSignatures(signed, "Received: from relay.example.com by mx.example.org\r\nX-Spam-Score: 0\r\n");

        Assert.DoesNotContain("received", Signatures(Encoding.ASCII.GetString(signed))[0]["h"]);
        Assert.All(Verify(signed), result => Assert.StartsWith("dkim=pass", result));
        Assert.All(Verify(withMoreTrace), result => Assert.StartsWith("dkim=pass", result));
    }

    [Fact]
    public void A_domain_without_an_aligned_key_is_refused_with_550_5_7_1_naming_it()
    {
        var result = Signer().Sign(Message("demo@example.org"), Client);

        Assert.Null(result.SignedMessage);
        Assert.Equal(550, result.Refusal!.Code);
        Assert.Equal("5.7.1", result.Refusal.EnhancedCode);
        Assert.Contains("example.org", result.Refusal.Text);
    }

    [Fact]
    public void A_domain_configured_to_relay_unsigned_passes_unchanged_without_a_signature()
    {
        var options = new DkimOptions { Domains = { ["example.org"] = new DkimDomainOptions { RelayUnsigned = true } } };
        var original = Message("demo@news.example.org");

        var result = Signer(options).Sign(original, Client);
        var other = Signer(options).Sign(Message("demo@example.info"), Client);

        Assert.True(result.IsUnsigned);
        Assert.Null(result.SigningDomain);
        Assert.Equal(original, result.SignedMessage);
        Assert.Equal("5.7.1", other.Refusal!.EnhancedCode);
    }

    [Fact]
    public void Per_domain_settings_choose_selectors_canonicalization_extra_headers_and_lifetime()
    {
        var options = new DkimOptions
        {
            Domains =
            {
                ["Example.COM"] = new DkimDomainOptions
                {
                    Selectors = ["rsa2026"],
                    Canonicalization = "simple/simple",
                    ExtraHeaders = ["X-Campaign-Id"],
                    SignatureLifetime = TimeSpan.FromDays(7),
                },
            },
        };
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));

        var signed = Signer(options, time).Sign(Message("demo@example.com", extraHeaders: "X-Campaign-Id: 42\r\n"), Client).SignedMessage!;

        var tags = Assert.Single(Signatures(Encoding.ASCII.GetString(signed)));
        Assert.Equal("rsa2026", tags["s"]);
        Assert.Equal("simple/simple", tags["c"]);
        Assert.EndsWith(":x-campaign-id:x-campaign-id", tags["h"]);
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), tags["t"]);
        Assert.Equal(time.GetUtcNow().AddDays(7).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), tags["x"]);
        Assert.All(Verify(signed), result => Assert.StartsWith("dkim=pass", result));
    }

    [Fact]
    public void A_client_limited_to_other_domains_is_refused_with_550_5_7_1()
    {
        var tenant = new SenderIdentity(System.Net.IPAddress.Loopback, "tenant-a", ["example.net"]);
        var signer = Signer();

        var refused = signer.Sign(Message("demo@example.com"), tenant);
        var allowed = signer.Sign(Message("demo@example.com"), tenant with { AllowedFromDomains = ["example.com"] });
        var subdomain = signer.Sign(Message("demo@news.example.com"), tenant with { AllowedFromDomains = ["example.com"] });

        Assert.Equal(550, refused.Refusal!.Code);
        Assert.Equal("5.7.1", refused.Refusal.EnhancedCode);
        Assert.Contains("example.com", refused.Refusal.Text);
        Assert.NotNull(allowed.SignedMessage);
        Assert.NotNull(subdomain.SignedMessage);
    }

    [Theory]
    [InlineData("Subject: no author\r\n\r\nbody\r\n", "no From header")]
    [InlineData("From: a@example.com\r\nfrom: b@example.com\r\nSubject: x\r\n\r\nbody\r\n", "more than one From header")]
    [InlineData("From: a@example.com, b@example.com\r\nSubject: x\r\n\r\nbody\r\n", "exactly one mailbox")]
    [InlineData("From: a@example.com\r\nSubject: x\r\nFROM: mallory@example.com\r\n\r\nbody\r\n", "more than one From header")]
    [InlineData("From: <@>\r\nSubject: x\r\n\r\nbody\r\n", "From header")]
    [InlineData("From: a@b\u00fccher-with-a-label-far-too-long-for-the-dns-which-allows-63-octets-only.example\r\nSubject: x\r\n\r\nbody\r\n", "From header")]
    [InlineData("", "could not be parsed")]
    public void A_from_that_dmarc_cannot_align_with_is_refused_with_a_5xx_and_an_enhanced_code(string message, string reason)
    {
        var result = Signer().Sign(Encoding.UTF8.GetBytes(message), Client);

        Assert.Null(result.SignedMessage);
        Assert.Equal(550, result.Refusal!.Code);
        Assert.Matches(@"^5\.\d+\.\d+$", result.Refusal.EnhancedCode);
        Assert.Contains(reason, result.Refusal.Text);
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }
    }

    private MessageSigner Signer(DkimOptions? options = null, TimeProvider? time = null)
    {
        var store = TestKeys.OpenStore(keys.Path, options, time);
        _stores.Add(store);
        return new(new AlignedKeyResolver(store, PublicSuffixList.Shipped), NullLogger<MessageSigner>.Instance);
    }

    private IReadOnlyList<string> Verify(byte[] message) => new DkimCheck(new KeyFolderPublicKeyLocator(keys.Path)).Verify(message);

    /// <summary>Inserts header lines right below the relay's signatures, where a later hop would add them.</summary>
    private static byte[] InsertAfterSignatures(byte[] signed, string lines)
    {
        var text = Encoding.UTF8.GetString(signed);
        var at = text.IndexOf("\r\nFrom: ", StringComparison.Ordinal) + 2;
        var receivedAt = text.IndexOf("\r\nReceived: ", StringComparison.Ordinal);
        at = receivedAt >= 0 && receivedAt + 2 < at ? receivedAt + 2 : at;
        return Encoding.UTF8.GetBytes(text.Insert(at, lines));
    }

    private static List<Dictionary<string, string>> Signatures(string headers) =>
        System.Text.RegularExpressions.Regex.Matches(headers, @"DKIM-Signature:(.*\r\n(?:[ \t].*\r\n)*)")
            .Select(m => m.Groups[1].Value.Replace("\r\n", string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => t.Split('=', 2))
                .ToDictionary(t => t[0].Trim(), t => System.Text.RegularExpressions.Regex.Replace(t[1], @"\s+", string.Empty)))
            .ToList();
}
