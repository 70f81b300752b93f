using RelaySigner.Intake.Session;
using SmtpServer;
using SmtpServer.Protocol;

namespace RelaySigner.Intake.Listening;

/// <summary>
/// Graceful stop of intake. Once <see cref="DrainAsync"/> begins, the listeners keep accepting but answer every new
/// connection with <see cref="ShuttingDown"/> (a client retries later, rather than meeting a refused connection),
/// an idle session gets it at its next command, and a session inside DATA finishes its message (its reply, 250
/// included, goes out) and gets it next. <see cref="DrainAsync"/> returns once no session is inside DATA; the
/// caller bounds the wait and then closes what is left (those clients got no 250, so nothing accepted is lost).
/// </summary>
public sealed class IntakeDrain
{
    public static readonly SmtpResponse ShuttingDown = new(SmtpReplyCode.ServiceUnavailable, "4.3.2 Service shutting down, try again later");

    private readonly object _gate = new();
    private readonly HashSet<SessionGuard> _sessions = [];
    private TaskCompletionSource _changed = NewSignal();
    private volatile bool _draining;

    public bool IsDraining => _draining;

    /// <summary>How many sessions are inside DATA now.</summary>
    public int InData
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count(s => s.InData);
            }
        }
    }

    /// <summary>Closes new connections, asks every session to close after its transaction, and waits until none is inside DATA.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        SessionGuard[] sessions;
        lock (_gate)
        {
            _draining = true;
            sessions = [.. _sessions];
        }

        foreach (var session in sessions)
        {
            session.CloseAfterTransaction(ShuttingDown);
        }

        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (!_sessions.Any(s => s.InData))
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Follows a session until <paramref name="connection"/> is released; the returned lease releases both.</summary>
    internal IDisposable Track(SessionGuard session, IDisposable connection)
    {
        lock (_gate)
        {
            _sessions.Add(session);
        }

        session.DataEnded += OnChanged;
        if (_draining)
        {
            // Accepted just as the drain began: it must not start a transaction either.
            session.CloseAfterTransaction(ShuttingDown);
        }

        return new Tracking(this, session, connection);
    }

    private void Untrack(SessionGuard session)
    {
        session.DataEnded -= OnChanged;
        lock (_gate)
        {
            _sessions.Remove(session);
        }

        OnChanged(this, EventArgs.Empty);
    }

    private void OnChanged(object? sender, EventArgs e)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = NewSignal();
        }

        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Tracking(IntakeDrain drain, SessionGuard session, IDisposable connection) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                drain.Untrack(session);
                connection.Dispose();
            }
        }
    }
}
