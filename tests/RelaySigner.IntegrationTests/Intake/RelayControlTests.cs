using System.Net;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>An outsider cannot relay, whatever the recipient address looks like.</summary>
public sealed class RelayControlTests
{
    [Theory]
    [InlineData("<rcpt@example.org>")]
    [InlineData("<a%b@example.org>")]
    [InlineData("<\"a@b\"@example.org>")]
    [InlineData("<@example.org:a@example.net>")]
    [InlineData("<b!a@example.org>")]
    public async Task A_client_outside_the_allowed_networks_gets_554_5_7_1_at_rcpt_for_every_address_trick(string recipient)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:AllowedNetworks:0", "192.0.2.0/24"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.StartsWith("554 5.7.1 Relay access denied", await client.CommandAsync($"RCPT TO:{recipient}"));
        Assert.StartsWith("5", await client.CommandAsync("DATA"));
    }

    /// <summary>SmtpServer's parser refuses these before relay control runs, for every client alike.</summary>
    [Theory]
    [InlineData("<a@b@example.org>", "501 5.1.3")]
    [InlineData("<postmaster>", "550 5.1.1")]
    public async Task Addresses_that_are_not_rfc_5321_paths_are_refused_before_relay_control_and_never_relayed(string recipient, string reply)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:AllowedNetworks:0", "192.0.2.0/24"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.StartsWith(reply, await client.CommandAsync($"RCPT TO:{recipient}"));
        Assert.StartsWith("5", await client.CommandAsync("DATA"));
    }

    [Fact]
    public async Task A_client_in_the_allowed_networks_may_relay_to_any_address_form_the_parser_accepts()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<a%b@example.org>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<\"a@b\"@example.org>"));
    }
}
