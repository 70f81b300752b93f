using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Inbound;
using RelaySigner.Feedback.Unsubscribe;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Feedback;

public sealed class MailtoUnsubscribeHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly InboundMessage AnyMail = new("jane@example.org", IPAddress.Loopback, "Subject: unsubscribe\r\n\r\n\r\n"u8.ToArray());

    private readonly UnsubscribeTokenCodec _codec = new(UnsubscribeKey.FromBytes(new byte[UnsubscribeKey.Length]));
    private readonly InMemorySuppressionList _store = new();
    private readonly MailtoUnsubscribeHandler _handler;

    public MailtoUnsubscribeHandlerTests() =>
        _handler = new MailtoUnsubscribeHandler(["bounces.example.com", "rp.example.net."], _codec,
            new UnsubscribeRecorder(_store, new FakeTimeProvider(Now), NullLogger<UnsubscribeRecorder>.Instance),
            NullLogger<MailtoUnsubscribeHandler>.Instance);

    private string Address(string recipient, string domain = "bounces.example.com") =>
        UnsubscribeTokenCodec.LocalPartForm(_codec.Seal(new UnsubscribeToken(recipient, "example.com", Now.AddDays(-3)))) + "@" + domain;

    [Theory]
    [InlineData("u-abc@bounces.example.com", true)]
    [InlineData("U-abc@BOUNCES.example.com", true)]
    [InlineData("u-abc@rp.example.net", true)]
    [InlineData("b-abc@bounces.example.com", false)]
    [InlineData("u-abc@example.com", false)]
    [InlineData("u-abc@evil.example", false)]
    [InlineData("u-abc", false)]
    public void It_owns_u_addresses_of_the_return_path_domains_only(string recipient, bool owned) =>
        Assert.Equal(owned, _handler.Owns(recipient));

    [Fact]
    public async Task A_mail_to_the_mailto_address_suppresses_the_recipient_and_emits_the_event()
    {
        await _handler.HandleAsync(AnyMail, [Address("Jane@example.org")], CancellationToken.None);

        var found = await _store.FindAsync("example.com", ["Jane@example.org"], CancellationToken.None);
        Assert.Equal(new Suppression("example.com", "Jane@example.org", SuppressionReason.Unsubscribe, Now), found["Jane@example.org"]);
        var events = await _store.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None);
        var unsubscribed = Assert.Single(events).Event;
        Assert.Equal(new RelayEvent(RelayEventType.Unsubscribed, Now, "Jane@example.org", FromDomain: "example.com", Kind: "mailto"), unsubscribed);
    }

    [Fact]
    public async Task A_forged_or_altered_token_changes_nothing_and_is_not_an_error()
    {
        var genuine = Address("jane@example.org");
        var altered = genuine[..5] + (genuine[5] == 'a' ? 'b' : 'a') + genuine[6..];
        var foreign = UnsubscribeTokenCodec.LocalPartForm(new UnsubscribeTokenCodec(UnsubscribeKey.FromBytes(Enumerable.Repeat((byte)7, 32).ToArray()))
            .Seal(new UnsubscribeToken("jane@example.org", "example.com", Now))) + "@bounces.example.com";

        await _handler.HandleAsync(AnyMail, [altered, foreign, "u-short@bounces.example.com"], CancellationToken.None);

        Assert.Empty(await _store.FindAsync("example.com", ["jane@example.org"], CancellationToken.None));
        Assert.Equal(0, await _store.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_store_failure_reaches_the_listener_so_the_sender_retries()
    {
        _store.FailNext = true;

        await Assert.ThrowsAsync<IOException>(() => _handler.HandleAsync(AnyMail, [Address("jane@example.org")], CancellationToken.None));
    }
}
