using System.Net;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>What the relay says: its own name and no library version, no retry counts, an enhanced code on every error.</summary>
public sealed class DialogueTests
{
    [Fact]
    public async Task The_greeting_and_the_helo_and_ehlo_replies_name_the_server_and_nothing_of_the_library()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.ConnectAsync(relay.Port);

        Assert.Equal("220 relay.test ESMTP RelaySigner", await client.ReadReplyAsync());
        Assert.StartsWith("250-relay.test Hello client.test\n", await client.CommandAsync("EHLO client.test"));
        Assert.Equal("250 relay.test Hello [127.0.0.1]", await client.CommandAsync("HELO [127.0.0.1]"));
    }

    /// <summary>SmtpServer's own words were "250 Ok", "end with &lt;CRLF&gt;.&lt;CRLF&gt;", "221 bye", without enhanced codes.</summary>
    [Fact]
    public async Task A_whole_transaction_gets_an_enhanced_code_on_every_reply_as_ehlo_announces()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.ConnectAsync(relay.Port);
        await client.ReadReplyAsync();

        Assert.EndsWith("\n250 ENHANCEDSTATUSCODES", await client.CommandAsync("EHLO client.test"));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<rcpt@example.org>"));
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.CommandAsync("DATA"));
        await client.SendAsync("From: <app@example.com>\r\nTo: <rcpt@example.org>\r\n\r\nbody\r\n");
        Assert.StartsWith("250 2.0.0 Ok: queued as ", await client.CommandAsync("."));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("RSET"));
        Assert.Equal("220 2.0.0 Ready to start TLS", await client.CommandAsync("STARTTLS"));
        await client.StartTlsAsync();
        await client.CommandAsync("EHLO client.test");
        Assert.Equal("221 2.0.0 Bye", await client.CommandAsync("QUIT"));
    }

    [Theory]
    [InlineData("BOGUS", "500 5.5.2 Command not recognized")]
    [InlineData("VRFY postmaster", "502 5.5.1 Command not implemented")]
    [InlineData("EHLO", "501 5.5.4 Syntax error in parameters or arguments")]
    [InlineData("RCPT TO:<rcpt@example.org>", "503 5.5.1 Bad sequence of commands")]
    [InlineData("MAIL <app@example.com>", "501 5.5.4 Syntax: MAIL FROM:<address>")]
    [InlineData("MAIL FROM:<a@b@c>", "501 5.1.7 Bad sender address syntax")]
    [InlineData("MAIL FROM:app@example.com", "501 5.1.7 Bad sender address syntax")]
    [InlineData("AUTH CRAM-MD5", "504 5.5.4 Unrecognized authentication mechanism")]
    public async Task Each_refused_command_gets_its_reply_with_an_enhanced_code_and_no_retry_count(string command, string reply)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        Assert.Equal(reply, await client.CommandAsync(command));
        Assert.StartsWith("250", await client.CommandAsync("NOOP"));
    }

    [Theory]
    [InlineData("RCPT TO:<a@b@example.org>", "501 5.1.3 Bad recipient address syntax")]
    [InlineData("RCPT <rcpt@example.org>", "501 5.5.4 Syntax: RCPT TO:<address>")]
    [InlineData("RCPT TO:<postmaster>", "550 5.1.1 <postmaster>: this relay has no local mailboxes; write to postmaster@<domain>")]
    [InlineData("RCPT TO:<PostMaster>", "550 5.1.1 <postmaster>: this relay has no local mailboxes; write to postmaster@<domain>")]
    public async Task A_recipient_that_is_no_rfc_5321_path_gets_a_5xx_with_an_enhanced_code(string command, string reply)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com>"));

        Assert.Equal(reply, await client.CommandAsync(command));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<rcpt@example.org>"));
    }

    /// <summary>The error that reaches the limit gets its own reply, then 421 4.7.0 at once, without waiting for another command.</summary>
    [Fact]
    public async Task The_error_that_reaches_max_bad_commands_is_followed_by_421_4_7_0_and_the_close()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:MaxBadCommands", "3"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("500 5.5.2 Command not recognized", await client.CommandAsync("BOGUS"));
        }

        Assert.Equal("421 4.7.0 Too many errors, closing connection", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }
}
