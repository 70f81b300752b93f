using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using RelaySigner.Intake.Session;
using SmtpServer.Protocol;

namespace RelaySigner.Intake.Listening;

/// <summary>
/// The session's input, in place of <see cref="PipeReader.Create(Stream, StreamPipeReaderOptions?)"/>, for two reasons.
/// <para>
/// 1. SmtpServer 11.1.0 misses an end-of-data marker split across three buffer segments, and one that straddles
/// the last two segments when the last grows between reads (its search resumes at the last segment). This reader
/// always hands out ONE contiguous segment and keeps earlier positions valid (it grows the array in place, and
/// only compacts once the caller has consumed something), so the marker is always found. The cost: SmtpServer
/// then rescans the message from its start on each read; reads take everything the socket already holds, so a
/// fast client's message is scanned in a few passes.
/// </para>
/// <para>
/// 2. SmtpServer has no DATA timeout, no minimum data rate, only a real-time idle command timeout and an absolute
/// session lifetime that cuts a DATA in progress with a permanent 554. Here every wait for bytes is bounded, on the
/// injected <see cref="TimeProvider"/>: a command line must be complete within the command timeout of its first
/// byte (an idle client, within that of the previous command), so dripping a byte at a time does not hold a
/// session open; a message within the data timeout of its last bytes, at the minimum average rate and within the
/// longest data time; and the session ends at its time limit, but only between commands, never inside DATA.
/// The session is also closed when <see cref="SessionGuard.PendingClose"/> is set. Closing means: send the reply,
/// close the connection, throw <see cref="SessionAbortedException"/>.
/// </para>
/// <para>
/// 3. Lines SmtpServer would mishandle are screened before it parses them: control characters in MAIL and RCPT
/// (<see cref="EnvelopeLineScreen"/>) and malformed AUTH credentials (<see cref="AuthLineScreen"/>). Such a line
/// is consumed and refused by throwing <see cref="SmtpResponseException"/>, which SmtpServer answers like any
/// error of its own and counts. The DSN parameters of RCPT (NOTIFY, ORCPT), which SmtpServer drops, are read from the
/// line into <see cref="SessionGuard.RecipientDsn"/> (<see cref="Dsn.RcptDsnParameters"/>).
/// </para>
/// </summary>
internal sealed class SessionPipeReader(Stream stream, SessionGuard guard, SessionLimits limits, TimeProvider time, Func<int> availableBytes) : PipeReader
{
    private const int MinimumReadSize = 4096;

    private const int InitialSize = MinimumReadSize * 2;

    /// <summary>
    /// A buffer grown past this for a large message is dropped once the message is consumed, so an idle session
    /// does not keep the largest message it ever received.
    /// </summary>
    private const int RetainedSize = 64 * 1024;

    /// <summary>
    /// Once a message has this much, the buffer grows at once to the size the client declared (SIZE=) rather than by
    /// doubling, which leaves about as much again behind as garbage. Not before: a declared size alone is only a claim.
    /// </summary>
    private const int TrustDeclaredSizeAfter = 1024 * 1024;

    private readonly ContiguousSegment _segment = new(new byte[InitialSize]);
    private int _start;
    private int _end;
    private bool _needMore = true;
    private bool _pinned;
    private bool _streamEnded;
    private long _dataBytes;
    private int _dataNumber;
    private CancellationTokenSource? _cancelPending;

    /// <summary>When the first byte of the unfinished line at the end of the buffer arrived.</summary>
    private DateTimeOffset _lineStarted;

    private string TimedOut => $"4.4.2 {limits.ServerName} Timeout waiting for input, closing connection";

    private string CommandTooSlow => $"4.4.2 {limits.ServerName} Command line not completed in time, closing connection";

    private string DataTooLong => $"4.4.2 {limits.ServerName} Message not completed in time, closing connection";

    private string SessionExpired => $"4.4.2 {limits.ServerName} Session time limit reached, closing connection";

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (guard.PendingClose is { } close)
            {
                await CloseAsync((int)close.ReplyCode, close.Message).ConfigureAwait(false);
            }

            // Between commands only: a message in DATA finishes first.
            if (!guard.InData && time.GetUtcNow() >= guard.Started + limits.SessionTimeout)
            {
                await CloseAsync(421, SessionExpired).ConfigureAwait(false);
            }

            if (_needMore && !_streamEnded)
            {
                _cancelPending ??= new CancellationTokenSource();
                if (await ReadFromStreamAsync(_cancelPending.Token, cancellationToken).ConfigureAwait(false) < 0)
                {
                    _cancelPending.Dispose();
                    _cancelPending = null;
                    return new ReadResult(Buffered(), isCanceled: true, isCompleted: false);
                }
            }

            if (_streamEnded && guard.AuthExchange is not null && _segment.Array.AsSpan(_start, _end - _start).IndexOf("\r\n"u8) < 0)
            {
                // SmtpServer would take the end of input for an empty credentials line and check it as a password.
                throw new ClientClosedConnectionException("during AUTH");
            }

            if (guard.InData || _streamEnded)
            {
                return new ReadResult(Buffered(), isCanceled: false, isCompleted: _streamEnded && _needMore);
            }

            // Outside DATA only whole command lines go out, so SmtpServer never holds a position across reads
            // there and a line can be screened (and dropped) before it is parsed.
            // A close asked for while this read waited (the relay stopping) answers the command that woke it.
            if (guard.PendingClose is { } closeNow)
            {
                await CloseAsync((int)closeNow.ReplyCode, closeNow.Message).ConfigureAwait(false);
            }

            var unconsumed = _segment.Array.AsSpan(_start, _end - _start);
            var lineEnd = unconsumed.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                _needMore = true;
                continue;
            }

            if (Screen(unconsumed[..lineEnd]) is { } refusal)
            {
                // SmtpServer has flushed the replies to every earlier command before it asks for the next line,
                // so the refusal it writes for this one goes out in order.
                _start += lineEnd + 2;
                throw new SmtpResponseException(refusal);
            }

            NoteRecipientDsn(unconsumed[..lineEnd]);

            return new ReadResult(Buffered(), isCanceled: false, isCompleted: false);
        }
    }

    /// <summary>For a RCPT line: notes its DSN parameters for the mailbox filter, or refuses malformed ones.</summary>
    private void NoteRecipientDsn(ReadOnlySpan<byte> line)
    {
        guard.RecipientDsn = null;
        if (guard.AuthExchange is not null || Dsn.RcptDsnParameters.Parse(line) is not { } parsed)
        {
            return;
        }

        if (parsed.Refusal is { } refusal)
        {
            _start += line.Length + 2;
            throw new SmtpResponseException(refusal);
        }

        guard.RecipientDsn = parsed.Dsn;
    }

    /// <summary>The refusal of a command line (or, inside an AUTH exchange, of a credentials line) SmtpServer must not see.</summary>
    private SmtpResponse? Screen(ReadOnlySpan<byte> line) =>
        guard.AuthExchange is { } mechanism ? AuthLineScreen.CheckResponse(line, mechanism)
        : EnvelopeLineScreen.IsRefused(line) ? EnvelopeLineScreen.Refusal
        : AuthLineScreen.CheckCommand(line);

    public override bool TryRead(out ReadResult result)
    {
        result = new ReadResult(Buffered(), false, _streamEnded);
        return !_needMore || _streamEnded;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var consumedAt = consumed.GetInteger();
        _pinned = consumedAt == _start;
        _start = consumedAt;
        _needMore = examined.GetInteger() >= _end;
        if (_start == _end)
        {
            // Everything consumed: nobody holds a position into the buffer that still matters.
            _start = _end = 0;
            _pinned = false;
            if (_segment.Array.Length > RetainedSize)
            {
                _segment.Replace(new byte[InitialSize]);
            }
        }
    }

    public override void CancelPendingRead() => _cancelPending?.Cancel();

    public override void Complete(Exception? exception = null)
    {
        _cancelPending?.Dispose();
        _cancelPending = null;
    }

    private ReadOnlySequence<byte> Buffered() => new(_segment, _start, _segment, _end);

    /// <returns>Bytes read; -1 when the read was cancelled by <see cref="CancelPendingRead"/>.</returns>
    private async ValueTask<int> ReadFromStreamAsync(CancellationToken pendingRead, CancellationToken session)
    {
        var total = 0;
        do
        {
            EnsureSpace();
            var (deadline, expired) = WaitDeadline();
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                await CloseAsync(421, expired).ConfigureAwait(false);
            }

            using var timer = new CancellationTokenSource(remaining, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, pendingRead, session);
            int read;
            try
            {
                read = await stream.ReadAsync(_segment.Array.AsMemory(_end), linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timer.IsCancellationRequested)
            {
                await CloseAsync(421, expired).ConfigureAwait(false);
                throw;
            }
            catch (OperationCanceledException) when (pendingRead.IsCancellationRequested && total == 0)
            {
                return -1;
            }

            if (read == 0)
            {
                _streamEnded = true;
                break;
            }

            var readFrom = _end;
            _end += read;
            total += read;
            NoteLineStart(readFrom);
            guard.Heard();
            await EnforceDataLimitsAsync(read).ConfigureAwait(false);
        }
        // Take what the socket already holds, so a large message reaches SmtpServer in few, large reads (outside
        // DATA only up to the command limit: a flood of pipelined commands is read as it is worked off).
        while (availableBytes() > 0 && (guard.InData || _end - _start <= SessionLimits.MaxCommandBytes));

        _needMore = false;
        return total;
    }

    private async ValueTask EnforceDataLimitsAsync(int read)
    {
        if (!guard.InData)
        {
            if (_end - _start > SessionLimits.MaxCommandBytes && _segment.Array.AsSpan(_start, _end - _start).IndexOf("\r\n"u8) < 0)
            {
                await CloseAsync(500, "5.5.2 Line too long, closing connection").ConfigureAwait(false);
            }

            return;
        }

        if (_dataNumber != guard.DataCount)
        {
            _dataNumber = guard.DataCount;
            _dataBytes = 0;
        }

        _dataBytes += read;
        // SmtpServer's own size check throws inside DATA, where its DataCommand swallows it without any reply.
        if (_end - _start > limits.MaxMessageSize)
        {
            await CloseAsync(552, "5.3.4 Message size exceeds fixed maximum message size").ConfigureAwait(false);
        }

        var elapsed = time.GetUtcNow() - guard.DataStarted;
        if (limits.MinDataRate > 0 && elapsed >= SessionLimits.DataRateGrace && _dataBytes < limits.MinDataRate * elapsed.TotalSeconds)
        {
            await CloseAsync(421, $"4.4.2 {limits.ServerName} Data arriving too slowly, closing connection").ConfigureAwait(false);
        }

        if (elapsed >= limits.MaxDataTime)
        {
            await CloseAsync(421, DataTooLong).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Until when the next read may wait, and the reply when it waited too long. Inside DATA: the data timeout
    /// since the last bytes, within the longest data time. Outside: the command timeout since the first byte of
    /// the unfinished line (none yet: since the client was last heard), within the session's time limit.
    /// </summary>
    private (DateTimeOffset Deadline, string Expired) WaitDeadline()
    {
        if (guard.InData)
        {
            var idle = guard.LastHeard + limits.DataTimeout;
            var data = guard.DataStarted + limits.MaxDataTime;
            return idle <= data ? (idle, TimedOut) : (data, DataTooLong);
        }

        var unfinishedLine = _end > _start;
        var line = (unfinishedLine ? _lineStarted : guard.LastHeard) + limits.CommandTimeout;
        var session = guard.Started + limits.SessionTimeout;
        return line <= session ? (line, unfinishedLine ? CommandTooSlow : TimedOut) : (session, SessionExpired);
    }

    /// <summary>
    /// Notes when the unfinished line at the end of the buffer began: now, when this read completed a line (what
    /// follows began with it) or the buffer held no unfinished line before it; otherwise it is still the line
    /// that began earlier, however many bytes this read added to it.
    /// </summary>
    private void NoteLineStart(int readFrom)
    {
        var heldUnfinishedLine = readFrom > _start && !_segment.Array.AsSpan(_start, readFrom - _start).EndsWith("\r\n"u8);
        var searchFrom = Math.Max(_start, readFrom - 1);
        if (!heldUnfinishedLine || _segment.Array.AsSpan(searchFrom, _end - searchFrom).LastIndexOf("\r\n"u8) >= 0)
        {
            _lineStarted = time.GetUtcNow();
        }
    }

    /// <summary>Room for at least <see cref="MinimumReadSize"/> more bytes, moving or growing the array only as allowed.</summary>
    private void EnsureSpace()
    {
        if (_segment.Array.Length - _end >= MinimumReadSize)
        {
            return;
        }

        if (!_pinned && _start > 0 && _segment.Array.Length - (_end - _start) >= MinimumReadSize * 2)
        {
            Buffer.BlockCopy(_segment.Array, _start, _segment.Array, 0, _end - _start);
            _end -= _start;
            _start = 0;
            return;
        }

        // Same indices in a bigger array: positions the caller holds stay valid. Not zeroed: every byte handed out
        // is written by a read first, and the pages of a large message's array only become resident as it arrives.
        long size = Math.Max(_segment.Array.Length * 2, _end + MinimumReadSize);
        var declared = guard.DeclaredSize;
        if (guard.InData && _end - _start >= TrustDeclaredSizeAfter && declared > 0 && declared <= limits.MaxMessageSize)
        {
            // Room for the declared message, its dot-stuffing (a byte per 100 is generous) and the end-of-data line;
            // should the client send more than it declared, the next growth doubles again.
            size = Math.Max(_end + MinimumReadSize, _start + declared + (declared / 100) + (MinimumReadSize * 2));
        }

        var larger = GC.AllocateUninitializedArray<byte>((int)Math.Min(size, Array.MaxLength));
        Buffer.BlockCopy(_segment.Array, 0, larger, 0, _end);
        _segment.Replace(larger);
    }

    /// <summary>Sends the reply, closes the connection and always throws <see cref="SessionAbortedException"/>.</summary>
    private async ValueTask CloseAsync(int code, string text)
    {
        var reply = $"{code} {text}";
        guard.ClosedWith = reply;
        try
        {
            // Real time on purpose: a client that does not read must not hold the session open.
            using var writeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), writeTimeout.Token).ConfigureAwait(false);
            await stream.FlushAsync(writeTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone or not reading; closing is all that is left.
        }

        await stream.DisposeAsync().ConfigureAwait(false);
        throw new SessionAbortedException(reply);
    }

    /// <summary>The one segment handed out; its memory is the whole array, so positions are plain array indices.</summary>
    private sealed class ContiguousSegment : ReadOnlySequenceSegment<byte>
    {
        public ContiguousSegment(byte[] array) => Replace(array);

        public byte[] Array { get; private set; } = [];

        public void Replace(byte[] array)
        {
            Array = array;
            Memory = array;
        }
    }
}
