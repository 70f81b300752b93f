using System.Text;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Intake.Listening;
using RelaySigner.Intake.Session;
using SmtpServer.Protocol;

namespace RelaySigner.Tests.Intake;

public sealed class ReplyWriterTests
{
    private readonly FakeSessionContext _context = new();
    private readonly MemoryStream _output = new();
    private readonly ReplyWriter _writer;

    public ReplyWriterTests() => _writer = new ReplyWriter(_output, new SessionGuard(_context, maxBadCommands: 20, new FakeTimeProvider()));

    [Fact]
    public async Task Replies_go_out_as_written_when_no_error_was_raised()
    {
        await WriteAsync("250-relay.test Hello client.test\r\n250 PIPELINING\r\n");
        await WriteAsync("250 Ok\r\n");

        Assert.Equal("250-relay.test Hello client.test\r\n250 PIPELINING\r\n250 Ok\r\n", Written);
    }

    [Fact]
    public async Task The_line_written_for_a_raised_error_is_replaced_by_the_relays_reply_once()
    {
        _context.RaiseError(new SmtpResponse(SmtpReplyCode.SyntaxError, "expected HELO/EHLO"));
        await WriteAsync("501 expected HELO/EHLO, 19 retry(ies) remaining.\r\n");
        await WriteAsync("250 Ok\r\n");

        Assert.Equal("503 5.5.1 Bad sequence of commands\r\n250 Ok\r\n", Written);
    }

    private string Written => Encoding.ASCII.GetString(_output.ToArray());

    private async Task WriteAsync(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        bytes.CopyTo(_writer.GetSpan(bytes.Length));
        _writer.Advance(bytes.Length);
        await _writer.FlushAsync();
    }
}
