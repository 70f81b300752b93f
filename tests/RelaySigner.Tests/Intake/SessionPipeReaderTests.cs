using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Intake.Listening;
using RelaySigner.Intake.Session;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.IO;

namespace RelaySigner.Tests.Intake;

public sealed class SessionPipeReaderTests
{
    private static readonly byte[] EndOfData = "\r\n.\r\n"u8.ToArray();

    /// <summary>The library trap: SmtpServer's search misses a marker spread over three segments.</summary>
    [Fact]
    public void Smtpserver_misses_an_end_of_data_marker_split_across_three_segments()
    {
        var buffer = Segments("body\r", "\n.", "\r\n");
        var head = buffer.Start;

        Assert.False(buffer.TryFind(EndOfData, ref head, out _));
    }

    /// <summary>
    /// The same split arriving as three reads, searched exactly as SmtpServer's ReadUntilAsync does (resuming from
    /// the position its previous search left): with this reader the marker is found, at the right place.
    /// </summary>
    [Theory]
    [InlineData("body\r|\n.|\r\n")]
    [InlineData("body\r\n.|\r|\n")]
    [InlineData("bo|dy|\r|\n|.|\r|\n")]
    public async Task The_session_reader_lets_smtpserver_find_a_marker_however_the_reads_split_it(string reads)
    {
        var reader = DataPhaseReader(reads.Split('|'));

        var result = await reader.ReadAsync();
        var head = result.Buffer.Start;
        SequencePosition tail;
        while (!result.Buffer.TryFind(EndOfData, ref head, out tail))
        {
            Assert.False(result.IsCompleted, "marker not found before the end of input");
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await reader.ReadAsync();
        }

        Assert.Equal("body", Encoding.ASCII.GetString(result.Buffer.Slice(result.Buffer.Start, head).ToArray()));
        Assert.Equal(result.Buffer.End, tail);
    }

    [Fact]
    public async Task Positions_stay_valid_while_the_buffer_grows_past_its_first_array()
    {
        var body = string.Concat(Enumerable.Repeat("0123456789abcdef\r\n", 2000));
        var reader = DataPhaseReader([.. body.Chunk(1000).Select(c => new string(c)), "\r\n.\r\n"]);

        var result = await reader.ReadAsync();
        var head = result.Buffer.Start;
        while (!result.Buffer.TryFind(EndOfData, ref head, out _))
        {
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await reader.ReadAsync();
        }

        Assert.True(result.Buffer.IsSingleSegment);
        Assert.Equal(body, Encoding.ASCII.GetString(result.Buffer.Slice(result.Buffer.Start, head).ToArray()));
    }

    /// <summary>An idle session does not keep the largest message it received: the grown buffer goes once consumed.</summary>
    [Fact]
    public async Task The_buffer_grown_for_a_large_message_is_let_go_once_the_message_is_consumed()
    {
        var body = string.Concat(Enumerable.Repeat("0123456789abcdef\r\n", 20_000));
        var reader = DataPhaseReader([.. body.Chunk(4000).Select(c => new string(c)), "\r\n.\r\n", "QUIT\r\n"]);

        var result = await reader.ReadAsync();
        var head = result.Buffer.Start;
        SequencePosition tail;
        while (!result.Buffer.TryFind(EndOfData, ref head, out tail))
        {
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await reader.ReadAsync();
        }

        Assert.True(BackingArrayLength(result.Buffer) > body.Length);
        reader.AdvanceTo(tail);
        result = await reader.ReadAsync();

        Assert.Equal("QUIT\r\n", Encoding.ASCII.GetString(result.Buffer.ToArray()));
        Assert.True(BackingArrayLength(result.Buffer) <= 64 * 1024);
    }

    /// <summary>A large message whose size was declared (SIZE=) gets its room in one step, not by doubling past it.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_declared_size_sizes_the_buffer_of_a_large_message(bool declared)
    {
        var body = string.Concat(Enumerable.Repeat("0123456789abcdef\r\n", 170_000));
        var reader = DataPhaseReader([.. body.Chunk(4000).Select(c => new string(c)), "\r\n.\r\n"], declared ? body.Length : null);

        var result = await reader.ReadAsync();
        var head = result.Buffer.Start;
        while (!result.Buffer.TryFind(EndOfData, ref head, out _))
        {
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await reader.ReadAsync();
        }

        Assert.Equal(body, Encoding.ASCII.GetString(result.Buffer.Slice(result.Buffer.Start, head).ToArray()));
        // 3 MB: doubling ends at a 4 MiB array; the declared size at about 3 MB.
        Assert.Equal(declared, BackingArrayLength(result.Buffer) < body.Length * 1.05);
    }

    private static int BackingArrayLength(ReadOnlySequence<byte> buffer) =>
        MemoryMarshal.TryGetArray(buffer.First, out var segment) ? segment.Array!.Length : throw new InvalidOperationException("not array-backed");

    private static SessionPipeReader DataPhaseReader(string[] reads, long? declaredSize = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var context = new FakeSessionContext();
        var guard = new SessionGuard(context, maxBadCommands: 10, time);
        context.StartData(declaredSize);
        var limits = new SessionLimits(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(30), 0, 10_000_000, "relay.test");
        return new SessionPipeReader(new ChunkedStream(reads), guard, limits, time, () => 0);
    }

    private static ReadOnlySequence<byte> Segments(params string[] parts)
    {
        var first = new Segment(Encoding.ASCII.GetBytes(parts[0]), 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            last = last.Append(Encoding.ASCII.GetBytes(part));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    /// <summary>Returns each given piece from its own read, as a network would.</summary>
    private sealed class ChunkedStream(string[] reads) : Stream
    {
        private readonly Queue<byte[]> _reads = new(reads.Select(Encoding.ASCII.GetBytes));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_reads.TryDequeue(out var next))
            {
                return ValueTask.FromResult(0);
            }

            next.CopyTo(buffer);
            return ValueTask.FromResult(next.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
