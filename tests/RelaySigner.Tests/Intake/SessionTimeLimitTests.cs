using System.Buffers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Intake.Listening;
using RelaySigner.Intake.Session;

namespace RelaySigner.Tests.Intake;

/// <summary>The session reader's clocks, on fake time: each read of the stream below first lets time pass.</summary>
public sealed class SessionTimeLimitTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly FakeSessionContext _context = new();
    private readonly SessionGuard _guard;

    public SessionTimeLimitTests() => _guard = new SessionGuard(_context, maxBadCommands: 10, _time);

    /// <summary>No read waits longer than 1.5 s, well within the 5 s command timeout; the line as a whole does not.</summary>
    [Fact]
    public async Task A_line_dripped_a_byte_at_a_time_is_cut_at_the_command_timeout_from_its_first_byte()
    {
        var stream = new PacedStream(_time, [.. "NOOP padding\r\n".Select(c => (1.5 * Second, c.ToString()))]);
        var reader = Reader(stream, commandTimeout: 5 * Second);

        await Assert.ThrowsAsync<SessionAbortedException>(async () => await reader.ReadAsync());

        Assert.StartsWith("421 4.4.2 relay.test Command line not completed in time", stream.Written);
    }

    /// <summary>9 s of pipelined commands, each line split across two reads 3 s apart: no line takes 5 s.</summary>
    [Fact]
    public async Task Lines_that_each_complete_within_the_command_timeout_are_not_cut_however_long_they_go_on()
    {
        var stream = new PacedStream(_time, [(0 * Second, "NO"), (3 * Second, "OP\r\nNO"), (3 * Second, "OP\r\nNO"), (3 * Second, "OP\r\n")]);
        var reader = Reader(stream, commandTimeout: 5 * Second);

        Assert.Equal(["NOOP", "NOOP", "NOOP"], await ReadLinesAsync(reader, 3));
        Assert.Empty(stream.Written);
    }

    [Fact]
    public async Task The_session_time_limit_does_not_cut_a_message_in_data_and_ends_the_session_at_the_next_command()
    {
        _context.StartData();
        var stream = new PacedStream(_time, [(6 * Second, "Subject: a\r\n"), (6 * Second, "\r\nbody\r\n.\r\n"), (Second, "NOOP\r\n")]);
        var reader = Reader(stream, sessionTimeout: 10 * Second);

        var data = await ReadUntilAsync(reader, "\r\n.\r\n");
        _context.EndData();

        Assert.Equal("Subject: a\r\n\r\nbody", data);
        await Assert.ThrowsAsync<SessionAbortedException>(async () => await reader.ReadAsync());
        Assert.StartsWith("421 4.4.2 relay.test Session time limit reached", stream.Written);
    }

    [Fact]
    public async Task A_message_still_arriving_after_the_longest_data_time_is_cut()
    {
        _context.StartData();
        var stream = new PacedStream(_time, [.. Enumerable.Range(0, 8).Select(i => (60 * Second, $"X-Minute: {i}\r\n"))]);
        var reader = Reader(stream, maxDataTime: TimeSpan.FromMinutes(5));

        await Assert.ThrowsAsync<SessionAbortedException>(() => ReadUntilAsync(reader, "\r\n.\r\n"));

        Assert.StartsWith("421 4.4.2 relay.test Message not completed in time", stream.Written);
    }

    private SessionPipeReader Reader(PacedStream stream, TimeSpan? commandTimeout = null, TimeSpan? sessionTimeout = null, TimeSpan? maxDataTime = null)
    {
        var limits = new SessionLimits(
            sessionTimeout ?? TimeSpan.FromHours(1), commandTimeout ?? TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(3), maxDataTime ?? TimeSpan.FromHours(1), 0, 1_000_000, "relay.test");
        return new SessionPipeReader(stream, _guard, limits, _time, () => 0);
    }

    /// <summary>Reads command lines as SmtpServer does: one line per read, consuming exactly it.</summary>
    private static async Task<List<string>> ReadLinesAsync(SessionPipeReader reader, int count)
    {
        var lines = new List<string>();
        while (lines.Count < count)
        {
            var result = await reader.ReadAsync();
            var end = result.Buffer.PositionOf((byte)'\n')!.Value;
            lines.Add(Encoding.ASCII.GetString(result.Buffer.Slice(0, end).ToArray()).TrimEnd('\r'));
            reader.AdvanceTo(result.Buffer.GetPosition(1, end));
        }

        return lines;
    }

    /// <summary>Reads as SmtpServer's DATA does: until the marker, consuming through it.</summary>
    private static async Task<string> ReadUntilAsync(SessionPipeReader reader, string marker)
    {
        while (true)
        {
            var result = await reader.ReadAsync();
            var text = Encoding.ASCII.GetString(result.Buffer.ToArray());
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                reader.AdvanceTo(result.Buffer.GetPosition(at + marker.Length));
                return text[..at];
            }

            Assert.False(result.IsCompleted, "input ended before the marker");
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Each read first lets its time pass on the fake clock, then returns its bytes; writes are kept.</summary>
    private sealed class PacedStream(FakeTimeProvider time, (TimeSpan Wait, string Bytes)[] reads) : Stream
    {
        private readonly Queue<(TimeSpan Wait, string Bytes)> _reads = new(reads);
        private readonly MemoryStream _written = new();

        public string Written => Encoding.ASCII.GetString(_written.ToArray());

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_reads.TryDequeue(out var next))
            {
                return ValueTask.FromResult(0);
            }

            time.Advance(next.Wait);
            return ValueTask.FromResult(Encoding.ASCII.GetBytes(next.Bytes, buffer.Span));
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _written.WriteAsync(buffer, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _written.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
