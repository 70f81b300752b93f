using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Signing;
using RelaySigner.Feedback.Unsubscribe;
using RelaySigner.Signing;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Keys;
using RelaySigner.Tools;

namespace RelaySigner.Tests.Signing;

/// <summary>Bulk mail at the signing stage: the one-click unsubscribe added per recipient, kept, or required.</summary>
public sealed class BulkSigningTests(SigningKeysFixture keys) : IClassFixture<SigningKeysFixture>, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly SenderIdentity Client = new(System.Net.IPAddress.Loopback, null);
    private static readonly SenderIdentity BulkClient = Client with { Bulk = true };
    private static readonly string[] Recipients = ["alice@example.org", "Bob@example.net"];
    private const string OwnFields = "List-Unsubscribe: <https://app.example/unsub/1>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";

    private readonly UnsubscribeTokenCodec _codec = new(UnsubscribeKey.FromBytes(new byte[UnsubscribeKey.Length]));
    private readonly List<DkimKeyStore> _stores = [];

    private static byte[] Message(string from = "news@news.example.com", string extraHeaders = "") =>
        Encoding.ASCII.GetBytes($"{extraHeaders}From: News <{from}>\r\nTo: list@example.org\r\nSubject: offers\r\nMessage-ID: <7@example.com>\r\n\r\nHello\r\n");

    private static DkimOptions BulkDomain(string? returnPathDomain = "bounces.example.com") =>
        new() { Domains = { ["example.com"] = new DkimDomainOptions { Bulk = true, ReturnPathDomain = returnPathDomain } } };

    [Fact]
    public void Bulk_mail_without_an_unsubscribe_is_signed_once_per_recipient_with_a_link_naming_that_recipient()
    {
        var message = Message();

        var result = Signer(BulkDomain()).Sign(message, Client, Recipients);

        Assert.Null(result.Refusal);
        Assert.Equal(Recipients, result.Copies!.Select(c => c.Recipient));
        Assert.Equal("example.com", result.SigningDomain);
        foreach (var copy in result.Copies!)
        {
            var added = Encoding.ASCII.GetString(copy.AddedHeaders.Span);
            var link = Regex.Match(added, @"^List-Unsubscribe: <https://unsubscribe\.example\.com/u/([A-Za-z0-9_-]+)>,\r\n <mailto:(u-[a-z2-7]+)@bounces\.example\.com>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n$");
            Assert.True(link.Success, added);
            Assert.True(UnsubscribeTokenCodec.TryParseUrlToken(link.Groups[1].Value, out var fromUrl));
            Assert.True(_codec.TryOpen(fromUrl, out var token));
            Assert.Equal(new UnsubscribeToken(copy.Recipient, "example.com", Now), token);
            Assert.True(UnsubscribeTokenCodec.TryParseLocalPart(link.Groups[2].Value, out var fromMailto) && fromMailto.AsSpan().SequenceEqual(fromUrl));

            byte[] delivered = [.. copy.SignatureHeaders.Span, .. copy.AddedHeaders.Span, .. message];
            Assert.Equal(["dkim=pass d=example.com s=ed2026 a=ed25519-sha256", "dkim=pass d=example.com s=rsa2026 a=rsa-sha256"], Verify(delivered).Order());
            Assert.All(SignedHeaderLists(copy.SignatureHeaders), h => Assert.Contains("list-unsubscribe:list-unsubscribe:list-unsubscribe-post:list-unsubscribe-post", h));
        }
    }

    [Fact]
    public void A_client_marked_bulk_gets_links_for_any_domain_and_without_a_return_path_domain_no_mailto()
    {
        var result = Signer().Sign(Message("news@example.net"), BulkClient, ["alice@example.org"]);

        var added = Encoding.ASCII.GetString(Assert.Single(result.Copies!).AddedHeaders.Span);
        Assert.Matches(@"^List-Unsubscribe: <https://unsubscribe\.example\.com/u/[A-Za-z0-9_-]+>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n$", added);
    }

    [Fact]
    public void Mail_that_is_not_bulk_is_signed_once_and_unchanged()
    {
        var result = Signer().Sign(Message(), Client, Recipients);

        Assert.Null(result.Copies);
        Assert.Equal(Message(), result.Message.ToArray());
    }

    [Fact]
    public void An_applications_own_one_click_unsubscribe_is_kept_signed_and_the_message_not_split()
    {
        var message = Message(extraHeaders: OwnFields);

        var result = Signer(BulkDomain()).Sign(message, Client, Recipients);

        Assert.Null(result.Copies);
        Assert.All(Verify(result.SignedMessage!), r => Assert.StartsWith("dkim=pass", r));
        Assert.All(SignedHeaderLists(result.SignatureHeaders), h => Assert.Contains("list-unsubscribe:list-unsubscribe:list-unsubscribe-post:list-unsubscribe-post", h));
    }

    [Theory]
    [InlineData("", "must carry its own one-click unsubscribe")]
    [InlineData("List-Unsubscribe: <mailto:leave@example.com>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", "not one-click")]
    [InlineData("List-Unsubscribe: <https://app.example/unsub/1>\r\n", "not one-click")]
    [InlineData(OwnFields + "List-Unsubscribe: <https://evil.example/u>\r\n", "not one-click")]
    public void Under_require_bulk_mail_without_a_usable_unsubscribe_of_its_own_is_refused_with_the_reason(string fields, string reason)
    {
        var result = Signer(BulkDomain(), require: true).Sign(Message(extraHeaders: fields), Client, Recipients);

        Assert.Equal(550, result.Refusal!.Code);
        Assert.Equal("5.7.1", result.Refusal.EnhancedCode);
        Assert.Contains(reason, result.Refusal.Text);
    }

    [Fact]
    public void Under_require_bulk_mail_with_its_own_one_click_unsubscribe_is_signed()
    {
        var result = Signer(BulkDomain(), require: true).Sign(Message(extraHeaders: OwnFields), Client, Recipients);

        Assert.Null(result.Refusal);
        Assert.Null(result.Copies);
    }

    [Fact]
    public void Bulk_mail_that_needs_a_link_while_no_base_url_is_configured_waits_with_a_temporary_refusal()
    {
        var result = Signer(BulkDomain(), baseUrl: null).Sign(Message(), Client, Recipients);

        Assert.Equal(451, result.Refusal!.Code);
        Assert.Equal("4.3.5", result.Refusal.EnhancedCode);
    }

    [Fact]
    public void Bulk_mail_of_a_paused_domain_is_refused_for_now_and_other_mail_is_not_asked_about()
    {
        var gate = new PausedGate("example.com");

        var bulk = Signer(BulkDomain(), gate: gate).Sign(Message(), Client, Recipients);
        var ordinary = Signer(gate: gate).Sign(Message(), Client, Recipients);

        Assert.Equal((451, "4.7.1"), (bulk.Refusal!.Code, bulk.Refusal.EnhancedCode));
        Assert.Contains("bulk mail of example.com is paused", bulk.Refusal.Text);
        Assert.Null(ordinary.Refusal);
        Assert.Equal(["example.com"], gate.Asked);
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }
    }

    private MessageSigner Signer(DkimOptions? options = null, bool require = false, string? baseUrl = "https://unsubscribe.example.com/", IBulkMailGate? gate = null)
    {
        var time = new FakeTimeProvider(Now);
        var store = TestKeys.OpenStore(keys.Path, options, time);
        _stores.Add(store);
        var unsubscribe = Options.Create(new UnsubscribeOptions { BaseUrl = baseUrl, Require = require });
        return new(new AlignedKeyResolver(store, PublicSuffixList.Shipped), NullLogger<MessageSigner>.Instance,
            unsubscribe: new UnsubscribeLinks(unsubscribe, baseUrl is null ? null : _codec, time), bulkGate: gate);
    }

    private IReadOnlyList<string> Verify(byte[] message) => new DkimCheck(new KeyFolderPublicKeyLocator(keys.Path)).Verify(message);

    private sealed class PausedGate(string paused) : IBulkMailGate
    {
        public List<string> Asked { get; } = [];

        public bool Admits(string organisationalDomain)
        {
            Asked.Add(organisationalDomain);
            return organisationalDomain != paused;
        }
    }

    private static IEnumerable<string> SignedHeaderLists(ReadOnlyMemory<byte> signatures) =>
        Regex.Matches(Encoding.ASCII.GetString(signatures.Span), @"\bh=([^;]+);").Select(m => Regex.Replace(m.Groups[1].Value, @"\s+", string.Empty));
}
