using SmtpServer;
using SmtpServer.Protocol;

namespace RelaySigner.Intake.Session;

/// <summary>
/// Per-session state that SmtpServer does not keep for us, fed by the session's command events: which phase the
/// client is in (for the read timeouts), when it was last heard, the EHLO name, how many errors it provoked, and
/// whether the session must be closed. The session's reader (<see cref="Listening.SessionPipeReader"/>) enforces it.
/// </summary>
public sealed class SessionGuard
{
    private const string PropertyKey = "RelaySigner:SessionGuard";

    /// <summary>
    /// Recipients refused with 452 4.5.3 beyond the limit that are not counted as errors, as Postfix's
    /// smtpd_recipient_overshoot_limit: past them each one counts towards <see cref="SmtpOptions.MaxBadCommands"/>.
    /// </summary>
    public const int RecipientOvershootLimit = 1000;

    private readonly int _maxBadCommands;
    private readonly TimeProvider _time;
    private readonly object _dataGate = new();
    private int _badCommands;
    private int _overshoot;
    private SmtpResponse? _closeAfterData;
    private SmtpResponse? _errorReply;

    public SessionGuard(ISessionContext context, int maxBadCommands, TimeProvider time)
    {
        _maxBadCommands = maxBadCommands;
        _time = time;
        Started = LastHeard = time.GetUtcNow();
        context.Properties[PropertyKey] = this;
        context.CommandExecuting += OnCommandExecuting;
        context.CommandExecuted += OnCommandExecuted;
        context.ResponseException += (_, e) => OnError(e.Exception);
    }

    /// <summary>False on a listener that never offers AUTH (the inbound listener): AUTH is refused with 502 5.5.1.</summary>
    public bool OffersAuth { get; init; } = true;

    /// <summary>When the connection was accepted.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>The command SmtpServer is executing, or executed last: what its next reply answers.</summary>
    public SmtpCommand? Executing { get; private set; }

    /// <summary>The mechanism of the AUTH exchange in progress, whose next lines are credentials; null outside one.</summary>
    public AuthenticationMethod? AuthExchange { get; private set; }

    /// <summary>True between DATA and the reply to the message.</summary>
    public bool InData { get; private set; }

    /// <summary>Raised after the reply to a message (or to a refused DATA) has been sent.</summary>
    public event EventHandler? DataEnded;

    public DateTimeOffset DataStarted { get; private set; }

    /// <summary>How many DATA commands have started in this session.</summary>
    public int DataCount { get; private set; }

    /// <summary>The message size the client declared with MAIL FROM ... SIZE= (RFC 1870), 0 when it declared none.</summary>
    public long DeclaredSize { get; private set; }

    /// <summary>When the client last sent bytes or a command started: idle timeouts count from here.</summary>
    public DateTimeOffset LastHeard { get; private set; }

    /// <summary>The name from the latest HELO/EHLO; null after STARTTLS until the client greets again.</summary>
    public string? HeloName { get; private set; }

    public bool UsedEhlo { get; private set; }

    /// <summary>Set when the session must end: the reply to send before closing it.</summary>
    public SmtpResponse? PendingClose { get; private set; }

    /// <summary>
    /// NOTIFY and ORCPT of the RCPT line SmtpServer is about to parse, as the reader read them
    /// (<see cref="Dsn.RcptDsnParameters"/>); null when it had none. Lines are screened and parsed one at a time, in
    /// order, so the mailbox filter that runs for that RCPT reads its own line's parameters here.
    /// </summary>
    public Core.Dsn.RecipientDsn? RecipientDsn { get; set; }

    /// <summary>The reply the relay sent when it closed the session itself.</summary>
    public string? ClosedWith { get; set; }

    public static SessionGuard? Of(ISessionContext context) =>
        context.Properties.TryGetValue(PropertyKey, out var guard) ? guard as SessionGuard : null;

    public void Heard() => LastHeard = _time.GetUtcNow();

    private void OnCommandExecuting(object? sender, SmtpCommandEventArgs e)
    {
        Heard();
        if (CommandRules.Check(e.Context, e.Command, HeloName is not null, OffersAuth) is { } refusal)
        {
            // Thrown here, SmtpServer answers with it and skips the command.
            throw new SmtpResponseException(refusal);
        }

        Executing = e.Command;
        if (e.Command is AuthCommand auth)
        {
            AuthExchange = auth.Method;
        }

        if (e.Command is DataCommand)
        {
            lock (_dataGate)
            {
                InData = true;
            }

            DataCount++;
            DataStarted = _time.GetUtcNow();
        }
    }

    private void OnCommandExecuted(object? sender, SmtpCommandEventArgs e)
    {
        AuthExchange = null;
        bool endedData;
        lock (_dataGate)
        {
            endedData = InData;
            InData = false;
            if (endedData && _closeAfterData is { } close)
            {
                PendingClose ??= close;
            }
        }

        if (endedData)
        {
            DataEnded?.Invoke(this, EventArgs.Empty);
        }

        switch (e.Command)
        {
            case EhloCommand ehlo:
                HeloName = ehlo.DomainOrAddress;
                UsedEhlo = true;
                break;
            case HeloCommand helo:
                HeloName = helo.DomainOrAddress;
                UsedEhlo = false;
                break;
            case MailCommand mail:
                DeclaredSize = mail.Parameters.TryGetValue("SIZE", out var size) &&
                    long.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var declared)
                    ? declared
                    : 0;
                break;
            case StartTlsCommand:
                // RFC 3207 §4.2: forget what the client said before TLS.
                HeloName = null;
                break;
        }
    }

    /// <summary>
    /// Closes the session with <paramref name="reply"/>: at its next command, or, inside DATA, once the message has
    /// had its reply, so a transaction in progress is never cut.
    /// </summary>
    public void CloseAfterTransaction(SmtpResponse reply)
    {
        lock (_dataGate)
        {
            if (InData)
            {
                _closeAfterData = reply;
            }
            else
            {
                PendingClose ??= reply;
            }
        }
    }

    /// <summary>The reply to send for the error just raised, once: <see cref="Listening.ReplyWriter"/> takes it.</summary>
    public SmtpResponse? TakeErrorReply() => Interlocked.Exchange(ref _errorReply, null);

    private void OnError(SmtpResponseException error)
    {
        AuthExchange = null;
        _errorReply = ErrorReplies.For(error);

        // Like Postfix's recipient overshoot: a client that sends more RCPTs than allowed is expected to send the
        // rest in the next transaction (RFC 5321 §4.5.3.1.10), so that is not a bad command, up to a point.
        if (error.Response != Policy.RelayMailboxFilter.TooManyRecipients || ++_overshoot > RecipientOvershootLimit)
        {
            CountError();
        }
    }

    /// <summary>Counts an error reply; the one that reaches the limit closes the session right after its reply.</summary>
    private void CountError()
    {
        if (++_badCommands >= _maxBadCommands)
        {
            PendingClose = new SmtpResponse(SmtpReplyCode.ServiceUnavailable, "4.7.0 Too many errors, closing connection");
        }
    }
}
