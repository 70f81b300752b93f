using System.Net;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

public sealed class ControlCharacterTests
{
    [Theory]
    [InlineData("MAIL FROM:<a\0b@example.com>")]
    [InlineData("MAIL FROM:<ab@exa\rmple.com>")]
    [InlineData("MAIL FROM:<ab@exa\nmple.com>")]
    [InlineData("MAIL FROM:<ab@example.com> ENVID=a\0b")]
    [InlineData("MAIL FROM:<ab@example.com> X\rY=1")]
    public async Task Cr_lf_or_nul_in_a_mail_address_or_parameter_gets_501(string command)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        Assert.StartsWith("501", await client.CommandAsync(command));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<ab@example.com>"));
    }

    [Theory]
    [InlineData("RCPT TO:<a\0b@example.org>")]
    [InlineData("RCPT TO:<ab@exa\rmple.org>")]
    [InlineData("RCPT TO:<ab@exa\nmple.org>")]
    public async Task Cr_lf_or_nul_in_a_rcpt_address_gets_501(string command)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        await client.CommandAsync("MAIL FROM:<ab@example.com>");

        Assert.StartsWith("501", await client.CommandAsync(command));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<ab@example.org>"));
    }
}
