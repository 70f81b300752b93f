using System.Text;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Intake.Listening;
using RelaySigner.Intake.Session;
using SmtpServer.Protocol;

namespace RelaySigner.Tests.Intake;

public sealed class ReplyWriterTests
{
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromMinutes(5);

    private readonly FakeSessionContext _context = new();
    private readonly FakeTimeProvider _time = new();
    private readonly MemoryStream _output = new();
    private readonly SessionGuard _guard;
    private readonly ReplyWriter _writer;

    public ReplyWriterTests()
    {
        _guard = new SessionGuard(_context, maxBadCommands: 20, _time);
        _writer = new ReplyWriter(_output, _guard, WriteTimeout, _time);
    }

    [Fact]
    public async Task Replies_go_out_as_written_when_no_error_was_raised()
    {
        await WriteAsync("250-relay.test Hello client.test\r\n250 PIPELINING\r\n");
        await WriteAsync("250 2.0.0 Ok: queued as 1A\r\n");

        Assert.Equal("250-relay.test Hello client.test\r\n250 PIPELINING\r\n250 2.0.0 Ok: queued as 1A\r\n", Written);
    }

    [Fact]
    public async Task The_line_written_for_a_raised_error_is_replaced_by_the_relays_reply_once()
    {
        _context.RaiseError(new SmtpResponse(SmtpReplyCode.SyntaxError, "expected HELO/EHLO"));
        await WriteAsync("501 expected HELO/EHLO, 19 retry(ies) remaining.\r\n");
        await WriteAsync("250 2.0.0 Ok: queued as 1A\r\n");

        Assert.Equal("503 5.5.1 Bad sequence of commands\r\n250 2.0.0 Ok: queued as 1A\r\n", Written);
    }

    /// <summary>A client that sends but never reads: once the socket's buffers are full, a write waits for ever.</summary>
    [Fact]
    public async Task A_reply_the_client_does_not_take_within_the_timeout_closes_the_session()
    {
        var stalled = new StalledStream();
        var writer = new ReplyWriter(stalled, _guard, WriteTimeout, _time);
        "250 Ok\r\n"u8.CopyTo(writer.GetSpan(8));
        writer.Advance(8);

        var flush = writer.FlushAsync().AsTask();
        _time.Advance(WriteTimeout);

        await Assert.ThrowsAsync<SessionAbortedException>(() => flush);
        Assert.True(stalled.Disposed);
        Assert.NotNull(_guard.ClosedWith);
    }

    private string Written => Encoding.ASCII.GetString(_output.ToArray());

    private async Task WriteAsync(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        bytes.CopyTo(_writer.GetSpan(bytes.Length));
        _writer.Advance(bytes.Length);
        await _writer.FlushAsync();
    }

    private sealed class StalledStream : MemoryStream
    {
        public bool Disposed { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Task.Delay(Timeout.Infinite, cancellationToken));

        public override ValueTask DisposeAsync()
        {
            Disposed = true;
            return base.DisposeAsync();
        }
    }
}
