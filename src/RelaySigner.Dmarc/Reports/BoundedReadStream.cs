namespace RelaySigner.Dmarc.Reports;

/// <summary>
/// Reads at most <paramref name="limit"/> bytes from a stream and fails past it with <paramref name="refusal"/>, so a
/// compression bomb is stopped by the bytes it produces, not by the small size it claims, and a file that grows
/// while it is read stops at the limit too.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit, string refusal) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _read += read;
        if (_read > limit)
        {
            throw new InvalidReportException(refusal);
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
