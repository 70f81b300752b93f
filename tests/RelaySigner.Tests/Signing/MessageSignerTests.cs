using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RelaySigner.Core.Signing;
using RelaySigner.Intake;
using RelaySigner.Signing;
using RelaySigner.Signing.Alignment;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.Tests.Signing;

public sealed class MessageSignerTests
{
    private static readonly SenderIdentity Client = new(System.Net.IPAddress.Loopback, null);

    private readonly MessageSigner _signer = new(
        new AlignedKeyResolver(TestKeys.OpenStore(RepositoryRoot.KeysExample)),
        NullLogger<MessageSigner>.Instance);

    private static byte[] Message(string from, string body = "Hello,\r\n\r\n  spaced   line \r\n..leading dot\r\nlast\r\n") =>
        Encoding.UTF8.GetBytes(
            $"From: Demo <{from}>\r\nTo: someone@example.org\r\nSubject: test\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n" +
            $"Message-ID: <1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}");

    [Fact]
    public void Output_is_the_received_bytes_with_one_signature_header_prepended()
    {
        var original = Message("demo@example.com");

        var result = _signer.Sign(original, Client);

        Assert.Null(result.Refusal);
        var signed = result.SignedMessage!;
        Assert.Equal(original, signed[^original.Length..]);
        var added = Encoding.ASCII.GetString(signed[..^original.Length]);
        Assert.StartsWith("DKIM-Signature:", added);
        Assert.EndsWith("\r\n", added);
        Assert.DoesNotContain("\r\n\r\n", added);
        Assert.False(LineEndings.HasBareCrOrLf(signed));
        var tags = added["DKIM-Signature:".Length..].Replace("\r\n\t", string.Empty).Split(';').Select(t => t.Trim()).ToList();
        Assert.Equal(["v=1", "a=rsa-sha256", "d=example.com", "s=demo2026", "c=relaxed/relaxed"], tags.Take(5));
        Assert.Contains("h=from:from:reply-to:subject:date:message-id:to:cc:mime-version:content-type", tags);
        Assert.DoesNotContain(tags, t => t.StartsWith("l=", StringComparison.Ordinal));
    }

    [Fact]
    public void The_signature_verifies()
    {
        var signed = _signer.Sign(Message("demo@news.example.com"), Client).SignedMessage!;

        var results = new DkimCheck(new KeyFolderPublicKeyLocator(RepositoryRoot.KeysExample)).Verify(signed);

        Assert.Equal(["dkim=pass d=example.com s=demo2026 a=rsa-sha256"], results);
    }

    [Fact]
    public void A_domain_without_an_aligned_key_is_refused_with_550_5_7_1_naming_it()
    {
        var result = _signer.Sign(Message("demo@example.org"), Client);

        Assert.Null(result.SignedMessage);
        Assert.Equal(550, result.Refusal!.Code);
        Assert.Equal("5.7.1", result.Refusal.EnhancedCode);
        Assert.Contains("example.org", result.Refusal.Text);
    }

    [Fact]
    public void A_client_limited_to_other_domains_is_refused_with_550_5_7_1()
    {
        var tenant = new SenderIdentity(System.Net.IPAddress.Loopback, "tenant-a", ["example.net"]);

        var refused = _signer.Sign(Message("demo@example.com"), tenant);
        var allowed = _signer.Sign(Message("demo@example.com"), tenant with { AllowedFromDomains = ["example.com"] });
        var subdomain = _signer.Sign(Message("demo@news.example.com"), tenant with { AllowedFromDomains = ["example.com"] });

        Assert.Equal(550, refused.Refusal!.Code);
        Assert.Equal("5.7.1", refused.Refusal.EnhancedCode);
        Assert.Contains("example.com", refused.Refusal.Text);
        Assert.NotNull(allowed.SignedMessage);
        Assert.NotNull(subdomain.SignedMessage);
    }

    [Fact]
    public void Two_from_headers_are_refused()
    {
        var original = Encoding.ASCII.GetBytes("From: a@example.com\r\nFrom: b@example.com\r\nSubject: x\r\n\r\nbody\r\n");

        var result = _signer.Sign(original, Client);

        Assert.Equal(550, result.Refusal!.Code);
        Assert.Null(result.SignedMessage);
    }
}
