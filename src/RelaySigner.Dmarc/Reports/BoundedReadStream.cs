namespace RelaySigner.Dmarc.Reports;

/// <summary>
/// Reads at most <paramref name="limit"/> bytes from a (usually decompressing) stream and fails past it, so a
/// compression bomb is stopped by the bytes it produces, not by the small size it claims.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit, string what) : Stream
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
            throw new InvalidReportException($"{what} is larger than {limit} bytes when decompressed; refusing it");
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
