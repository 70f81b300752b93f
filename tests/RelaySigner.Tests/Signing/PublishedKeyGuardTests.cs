using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Crypto;
using RelaySigner.Core.Signing;
using RelaySigner.Signing;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Guard;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Signing;

public sealed class PublishedKeyGuardTests : IAsyncLifetime
{
    private static readonly SenderIdentity Client = new(System.Net.IPAddress.Loopback, null);
    private readonly TempFolder _keys = new();
    private readonly ScriptedCheck _dns = new();
    private readonly List<IDisposable> _disposables = [];

    public Task InitializeAsync()
    {
        TestKeys.WriteRsa(_keys.Path, "example.com", "rsa");
        TestKeys.WriteEd25519(_keys.Path, "example.com", "ed");
        return Task.CompletedTask;
    }

    private async Task<MessageSigner> StartAsync(bool verifyDns = true, bool relayUnsigned = false)
    {
        var options = new DkimOptions { KeysPath = _keys.Path, VerifyDns = verifyDns };
        if (relayUnsigned)
        {
            options.Domains["example.com"] = new DkimDomainOptions { RelayUnsigned = true };
        }

        var store = TestKeys.OpenStore(_keys.Path, options);
        _disposables.Add(store);
        var guard = new PublishedKeyGuard(store, _dns, Options.Create(options), new FakeTimeProvider(), NullLogger<PublishedKeyGuard>.Instance);
        _disposables.Add(guard);
        await guard.StartAsync(default);
        await guard.FirstPass.WaitAsync(TimeSpan.FromSeconds(30));
        return new MessageSigner(new AlignedKeyResolver(store, PublicSuffixList.Shipped), NullLogger<MessageSigner>.Instance, guard);
    }

    private static byte[] Message() =>
        Encoding.ASCII.GetBytes("From: a@example.com\r\nTo: b@example.org\r\nSubject: guard\r\n\r\nbody\r\n");

    private static string[] Selectors(SigningResult result) =>
        [.. System.Text.RegularExpressions.Regex.Matches(Encoding.ASCII.GetString(result.SignedMessage!), @"; s=(\w+);").Select(m => m.Groups[1].Value).Order()];

    [Fact]
    public async Task A_selector_whose_published_key_differs_or_is_missing_is_skipped()
    {
        _dns.Verdicts["rsa"] = PublishedKeyVerdict.Matches;
        _dns.Verdicts["ed"] = PublishedKeyVerdict.Different;

        var result = (await StartAsync()).Sign(Message(), Client);

        Assert.Equal(["rsa"], Selectors(result));
    }

    [Fact]
    public async Task A_dns_failure_does_not_stop_signing()
    {
        _dns.Verdicts["rsa"] = PublishedKeyVerdict.LookupFailed;
        _dns.Verdicts["ed"] = PublishedKeyVerdict.Matches;

        var result = (await StartAsync()).Sign(Message(), Client);

        Assert.Equal(["ed", "rsa"], Selectors(result));
    }

    [Fact]
    public async Task With_no_published_selector_left_the_message_is_deferred_with_451_4_7_5()
    {
        _dns.Verdicts["rsa"] = PublishedKeyVerdict.Missing;
        _dns.Verdicts["ed"] = PublishedKeyVerdict.Different;

        var result = (await StartAsync()).Sign(Message(), Client);

        Assert.Null(result.SignedMessage);
        Assert.Equal((451, "4.7.5"), (result.Refusal!.Code, result.Refusal.EnhancedCode));
        Assert.Contains("example.com", result.Refusal.Text);
    }

    [Fact]
    public async Task A_domain_configured_to_relay_unsigned_is_relayed_unsigned_instead()
    {
        _dns.Verdicts["rsa"] = PublishedKeyVerdict.Missing;
        _dns.Verdicts["ed"] = PublishedKeyVerdict.Missing;

        var result = (await StartAsync(relayUnsigned: true)).Sign(Message(), Client);

        Assert.True(result.IsUnsigned);
        Assert.Equal(Message(), result.SignedMessage);
    }

    [Fact]
    public async Task When_the_guard_is_off_dns_is_never_asked()
    {
        _dns.Verdicts["rsa"] = PublishedKeyVerdict.Different;
        _dns.Verdicts["ed"] = PublishedKeyVerdict.Different;

        var result = (await StartAsync(verifyDns: false)).Sign(Message(), Client);

        Assert.Equal(["ed", "rsa"], Selectors(result));
        Assert.Equal(0, _dns.Calls);
    }

    public Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _keys.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>DNS as the test says it is, per selector.</summary>
    private sealed class ScriptedCheck : IPublishedKeyCheck
    {
        public Dictionary<string, PublishedKeyVerdict> Verdicts { get; } = [];

        public int Calls { get; private set; }

        public Task<PublishedKeyVerdict> CheckAsync(string domain, string selector, DkimPublicKey publicKey, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(Verdicts[selector]);
        }
    }
}
