using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using RelaySigner.Intake.Session;

namespace RelaySigner.Intake.Listening;

/// <summary>
/// The session's output, in place of <see cref="PipeWriter.Create(Stream, StreamPipeWriterOptions?)"/>, so that
/// the relay has the last word on error replies. SmtpServer writes the reply to an error itself, with no hook to
/// change it (its SmtpSession appends a retry count to it, its parser's refusals say only "502 Unrecognized
/// command"); but it raises ResponseException just before, where <see cref="SessionGuard"/> picks the reply the
/// relay means (<see cref="ErrorReplies"/>). That reply replaces the last line of the next flush, which is the one
/// SmtpServer wrote for the error: it writes each reply and flushes it at once. The fixed replies it writes
/// otherwise ("250 Ok", "221 bye", …) get the relay's wording with an enhanced status code (<see cref="FixedReplies"/>).
/// A write that does not complete within <paramref name="writeTimeout"/> (a client that sends but never reads
/// fills the socket's buffers) closes the session: SmtpServer itself would wait for ever.
/// </summary>
internal sealed class ReplyWriter(Stream stream, SessionGuard guard, TimeSpan writeTimeout, TimeProvider time) : PipeWriter
{
    private readonly ArrayBufferWriter<byte> _pending = new(512);

    public override void Advance(int bytes) => _pending.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        var output = _pending.WrittenMemory;
        if (guard.TakeErrorReply() is { } reply)
        {
            output = WithLastLineReplaced(output.Span, $"{(int)reply.ReplyCode} {reply.Message}");
        }
        else if (FixedReplies.For(guard.Executing, output.Span) is { } fixedReply)
        {
            output = fixedReply;
        }

        var write = stream.WriteAsync(output, cancellationToken);
        if (!write.IsCompleted)
        {
            await WithinTimeoutAsync(write.AsTask()).ConfigureAwait(false);
        }

        await write.ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _pending.ResetWrittenCount();
        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    private async Task WithinTimeoutAsync(Task write)
    {
        try
        {
            await write.WaitAsync(writeTimeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            const string reason = "(none: the client read no replies for the command timeout)";
            guard.ClosedWith = reason;
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new SessionAbortedException(reason);
        }
    }

    private static byte[] WithLastLineReplaced(ReadOnlySpan<byte> output, string line)
    {
        var body = output.EndsWith("\r\n"u8) ? output[..^2] : output;
        var previousLineEnd = body.LastIndexOf("\r\n"u8);
        var lastLineStart = previousLineEnd < 0 ? 0 : previousLineEnd + 2;
        return [.. output[..lastLineStart], .. Encoding.ASCII.GetBytes(line + "\r\n")];
    }
}
