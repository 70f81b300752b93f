using System.Globalization;
using System.Net.Sockets;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// Applies read/write timeouts to asynchronous I/O, which <see cref="NetworkStream"/> (and so MailKit's
/// <c>Timeout</c>) only applies to synchronous calls. A timeout surfaces as an <see cref="IOException"/> wrapping a
/// <see cref="TimeoutException"/>.
/// </summary>
internal sealed class TimeoutStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeProvider _time;
    private int _readTimeout;
    private int _writeTimeout;

    public TimeoutStream(Stream inner, TimeSpan timeout, TimeProvider time)
    {
        _inner = inner;
        _time = time;
        _readTimeout = _writeTimeout = (int)timeout.TotalMilliseconds;
        if (inner.CanTimeout)
        {
            inner.ReadTimeout = _readTimeout;
            inner.WriteTimeout = _writeTimeout;
        }
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanWrite => _inner.CanWrite;

    public override bool CanSeek => false;

    public override bool CanTimeout => true;

    public override int ReadTimeout
    {
        get => _readTimeout;
        set
        {
            _readTimeout = value;
            if (_inner.CanTimeout)
            {
                _inner.ReadTimeout = value;
            }
        }
    }

    public override int WriteTimeout
    {
        get => _writeTimeout;
        set
        {
            _writeTimeout = value;
            if (_inner.CanTimeout)
            {
                _inner.WriteTimeout = value;
            }
        }
    }

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        using var timeout = Start(_readTimeout, cancellationToken, out var token);
        try
        {
            return await _inner.ReadAsync(buffer, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout is not null && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut("read", _readTimeout);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        using var timeout = Start(_writeTimeout, cancellationToken, out var token);
        try
        {
            await _inner.WriteAsync(buffer, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout is not null && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut("write", _writeTimeout);
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        using var timeout = Start(_writeTimeout, cancellationToken, out var token);
        try
        {
            await _inner.FlushAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout is not null && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut("write", _writeTimeout);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A linked source that also fires after <paramref name="milliseconds"/>; null for an infinite timeout.</summary>
    private TimedCancellation? Start(int milliseconds, CancellationToken cancellationToken, out CancellationToken token)
    {
        if (milliseconds <= 0 || milliseconds == Timeout.Infinite)
        {
            token = cancellationToken;
            return null;
        }

        var timed = new TimedCancellation(TimeSpan.FromMilliseconds(milliseconds), _time, cancellationToken);
        token = timed.Token;
        return timed;
    }

    private static IOException TimedOut(string operation, int milliseconds) =>
        new($"timed out after {milliseconds.ToString(CultureInfo.InvariantCulture)} ms waiting to {operation}",
            new TimeoutException($"timed out after {milliseconds.ToString(CultureInfo.InvariantCulture)} ms waiting to {operation}"));

    private sealed class TimedCancellation : IDisposable
    {
        private readonly CancellationTokenSource _timeout;
        private readonly CancellationTokenSource _linked;

        public TimedCancellation(TimeSpan delay, TimeProvider time, CancellationToken outer)
        {
            _timeout = new CancellationTokenSource(delay, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(outer, _timeout.Token);
        }

        public CancellationToken Token => _linked.Token;

        public void Dispose()
        {
            _linked.Dispose();
            _timeout.Dispose();
        }
    }
}
