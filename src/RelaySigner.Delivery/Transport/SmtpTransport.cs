using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Delivery.Routing;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// SMTP delivery with MailKit: one session per call, hosts and addresses tried in route order, opportunistic
/// STARTTLS, per-recipient outcomes. Connection-level failures (refused, timeout, TLS, drop before the transaction,
/// greeting refused, 4xx to MAIL FROM) move on to the next address; once a server has answered the transaction,
/// its answers decide.
/// </summary>
public sealed class SmtpTransport : ISmtpTransport
{
    private readonly DeliveryOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _heloName;

    public SmtpTransport(IOptions<DeliveryOptions> options, ILogger<SmtpTransport> logger, TimeProvider timeProvider)
    {
        _options = options.Value;
        _logger = logger;
        _time = timeProvider;
        _heloName = _options.EffectiveHeloName;
    }

    public async Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueueId id,
        string sender,
        IReadOnlyList<string> recipients,
        byte[] content,
        Destination route,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(route);

        var outcomes = new RecipientOutcome?[recipients.Count];

        // The envelope, as MailKit mailboxes. An address that cannot even be written as an RCPT TO never will be.
        var envelope = new List<EnvelopeRecipient>(recipients.Count);
        for (var i = 0; i < recipients.Count; i++)
        {
            if (TryMailbox(recipients[i], out var mailbox))
            {
                envelope.Add(new EnvelopeRecipient(i, recipients[i], mailbox));
            }
            else
            {
                Decide(id, outcomes, i, recipients[i],
                    OutcomeClassifier.Permanent("5.1.3", "bad recipient address syntax"), relay: null);
            }
        }

        if (envelope.Count == 0)
        {
            return Completed(outcomes);
        }

        if (!TryMailbox(sender, out var senderMailbox))
        {
            DecideAll(id, outcomes, envelope, OutcomeClassifier.Permanent("5.1.7", "bad sender address syntax"), relay: null);
            return Completed(outcomes);
        }

        // Parse a fresh message per call: MailKit may touch the MimeMessage while sending. The stored bytes are
        // the DKIM-signed serialization, so the message must go out exactly as parsed.
        using var contentStream = new MemoryStream(content, writable: false);
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(contentStream, persistent: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DeliveryLog.MessageUnparseable(_logger, id, ShortReason(e));
            DecideAll(id, outcomes, envelope, OutcomeClassifier.Temporary("4.3.0", "stored message cannot be parsed"), relay: null);
            return Completed(outcomes);
        }

        using (message)
        {
            SmtpReply? lastFailure = null;
            foreach (var host in route.Hosts)
            {
                foreach (var address in host.Addresses)
                {
                    var relay = new Relay(host.HostName, address, host.Port);
                    var failure = await TrySessionAsync(id, relay, senderMailbox, envelope, message, outcomes, cancellationToken)
                        .ConfigureAwait(false);
                    if (failure is null)
                    {
                        return Completed(outcomes);
                    }

                    DeliveryLog.ConnectionFailed(_logger, id, relay.Host, relay.Ip, relay.Port, failure);
                    lastFailure = failure;
                }
            }

            lastFailure ??= OutcomeClassifier.Temporary("4.4.3", $"no address to deliver to for {route.Name}");
            DecideAll(id, outcomes, envelope, lastFailure, relay: null);
            return Completed(outcomes);
        }
    }

    /// <summary>
    /// One SMTP session. Returns null when the session decided every recipient in <paramref name="envelope"/>, or
    /// the (temporary) reason to try the next address.
    /// </summary>
    private async Task<SmtpReply?> TrySessionAsync(
        QueueId id,
        Relay relay,
        MailboxAddress sender,
        List<EnvelopeRecipient> envelope,
        MimeMessage message,
        RecipientOutcome?[] outcomes,
        CancellationToken cancellationToken)
    {
        using var client = new RecordingSmtpClient
        {
            LocalDomain = _heloName,
            Timeout = (int)_options.CommandTimeout.TotalMilliseconds,
            CheckCertificateRevocation = false,
        };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (errors != SslPolicyErrors.None)
            {
                DeliveryLog.UntrustedCertificate(_logger, id, relay.Host, relay.Ip, relay.Port, errors.ToString(),
                    certificate?.Subject);
            }

            return true; // Opportunistic TLS: an unverified certificate is still better than plain text.
        };

        var connectFailure = await ConnectAsync(client, relay, cancellationToken).ConfigureAwait(false);
        if (connectFailure is not null)
        {
            return connectFailure;
        }

        if (client.IsSecure)
        {
            DeliveryLog.TlsEstablished(_logger, id, relay.Host, relay.Ip, relay.Port,
                client.SslProtocol.ToString(), client.SslCipherSuite?.ToString());
        }

        try
        {
            return await TransactAsync(id, client, relay, sender, envelope, message, outcomes, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            await QuitAsync(id, client, relay, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SmtpReply?> ConnectAsync(RecordingSmtpClient client, Relay relay, CancellationToken cancellationToken)
    {
        Socket? socket = null;
        try
        {
            socket = new Socket(relay.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await socket.ConnectAsync(new IPEndPoint(relay.Address, relay.Port), linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            socket?.Dispose();
            var reason = e is OperationCanceledException ? "connection timed out" : ShortReason(e);
            return OutcomeClassifier.Temporary("4.4.1", $"connection to {relay}: {reason}");
        }
        catch
        {
            socket?.Dispose();
            throw;
        }

        // MailKit's Timeout only bounds synchronous I/O; the wrapper enforces it on the async calls we make.
        var stream = new TimeoutStream(new NetworkStream(socket, ownsSocket: true), _options.CommandTimeout, _time);
        try
        {
            await client.ConnectAsync(stream, relay.Host, relay.Port, SecureSocketOptions.StartTlsWhenAvailable, cancellationToken)
                .ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return e switch
            {
                SslHandshakeException or System.Security.Authentication.AuthenticationException =>
                    OutcomeClassifier.Temporary("4.7.5", $"TLS handshake with {relay} failed: {ShortReason(e)}"),
                SmtpCommandException command =>
                    OutcomeClassifier.Temporary("4.4.2",
                        $"{relay} refused to talk to me: {OutcomeClassifier.ParseReply((int)command.StatusCode, command.Message)}"),
                _ => OutcomeClassifier.Temporary("4.4.2", $"lost connection with {relay} during greeting: {ShortReason(e)}"),
            };
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<SmtpReply?> TransactAsync(
        QueueId id,
        RecordingSmtpClient client,
        Relay relay,
        MailboxAddress sender,
        List<EnvelopeRecipient> envelope,
        MimeMessage message,
        RecipientOutcome?[] outcomes,
        CancellationToken cancellationToken)
    {
        // Without SMTPUTF8 an address with a UTF-8 local part cannot be sent (RFC 6531 §3.4): bounce it, as Postfix
        // does, rather than let MailKit send raw UTF-8 to a server that did not ask for it. Decided only once this
        // session's transaction is over (a 4xx to MAIL FROM sends us to the next host, which may offer SMTPUTF8).
        var notSendable = new List<EnvelopeRecipient>();
        if (!client.Capabilities.HasFlag(SmtpCapabilities.UTF8))
        {
            var smtpUtf8Required = OutcomeClassifier.Permanent("5.6.7", $"SMTPUTF8 is required, but was not offered by {relay}");
            if (sender.IsInternational)
            {
                DecideAll(id, outcomes, envelope, smtpUtf8Required, relay);
                return null;
            }

            notSendable = envelope.Where(r => r.Mailbox.IsInternational).ToList();
            if (notSendable.Count == envelope.Count)
            {
                DecideAll(id, outcomes, envelope, smtpUtf8Required, relay);
                return null;
            }

            if (notSendable.Count > 0)
            {
                envelope = envelope.Where(r => !r.Mailbox.IsInternational).ToList();
            }
        }

        client.ResetRecording();
        SmtpReply? accepted = null;     // the reply to the final "." when the message was taken
        SmtpReply? failure = null;      // what happened to recipients accepted at RCPT (or not yet asked)
        var senderRejected = false;     // MAIL FROM refused for good: the reply decides every recipient
        try
        {
            var text = await client.SendAsync(message, sender, envelope.Select(r => r.Mailbox), cancellationToken)
                .ConfigureAwait(false);
            accepted = OutcomeClassifier.ParseReply((int)SmtpStatusCode.Ok, text);
        }
        catch (SmtpCommandException e) when (e.ErrorCode == SmtpErrorCode.SenderNotAccepted)
        {
            var reply = OutcomeClassifier.ParseReply((int)e.StatusCode, e.Message);
            if (OutcomeClassifier.Classify(reply.Code) != RecipientStatus.Failed)
            {
                return reply; // 4xx to MAIL FROM (busy, greylisting, 421): another MX may take it now.
            }

            failure = reply;
            senderRejected = true;
        }
        catch (SmtpCommandException) when (client.NoRecipientsAccepted)
        {
            // MailKit's synthesized 554 "No recipients were accepted": the recorded RCPT replies decide.
        }
        catch (SmtpCommandException e)
        {
            // DATA refused, or the final "." answered with something other than 250.
            failure = OutcomeClassifier.ParseReply((int)e.StatusCode, e.Message);
        }
        catch (ServiceNotAuthenticatedException e)
        {
            failure = OutcomeClassifier.Temporary("4.7.0", $"{relay} requires authentication: {ShortReason(e)}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Drops, timeouts, protocol errors and anything unexpected: keep the message and try later. A drop
            // after the final "." may mean the server has it; at-least-once accepts the duplicate.
            failure = OutcomeClassifier.Temporary("4.4.2", $"lost connection with {relay}: {ShortReason(e)}");
        }

        if (notSendable.Count > 0)
        {
            DecideAll(id, outcomes, notSendable,
                OutcomeClassifier.Permanent("5.6.7", $"SMTPUTF8 is required, but was not offered by {relay}"), relay);
        }

        foreach (var recipient in envelope)
        {
            client.RecipientReplies.TryGetValue(recipient.Mailbox, out var rcpt);
            SmtpReply reply;
            if (senderRejected)
            {
                reply = failure!;
            }
            else if (rcpt is { Accepted: false })
            {
                reply = OutcomeClassifier.ParseReply(rcpt.Code, rcpt.Text);
            }
            else if (accepted is not null && rcpt is { Accepted: true })
            {
                reply = accepted;
            }
            else
            {
                reply = failure ?? OutcomeClassifier.Temporary("4.4.2", $"no reply from {relay} to RCPT TO");
            }

            Decide(id, outcomes, recipient.Index, recipient.Address, reply, relay);
        }

        return null;
    }

    private async Task QuitAsync(QueueId id, RecordingSmtpClient client, Relay relay, CancellationToken cancellationToken)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The outcomes are already known; a failed QUIT changes nothing.
            DeliveryLog.QuitFailed(_logger, id, relay.Host, relay.Ip, relay.Port, ShortReason(e));
        }
    }

    private void Decide(QueueId id, RecipientOutcome?[] outcomes, int index, string recipient, SmtpReply reply, Relay? relay)
    {
        var outcome = OutcomeClassifier.Outcome(recipient, reply);
        outcomes[index] = outcome;
        if (relay is null)
        {
            DeliveryLog.Outcome(_logger, id, outcome);
        }
        else
        {
            DeliveryLog.Outcome(_logger, id, outcome, relay.Host, relay.Ip, relay.Port);
        }
    }

    private void DecideAll(QueueId id, RecipientOutcome?[] outcomes, List<EnvelopeRecipient> envelope, SmtpReply reply, Relay? relay)
    {
        foreach (var recipient in envelope)
        {
            Decide(id, outcomes, recipient.Index, recipient.Address, reply, relay);
        }
    }

    private static IReadOnlyList<RecipientOutcome> Completed(RecipientOutcome?[] outcomes)
    {
        var result = new RecipientOutcome[outcomes.Length];
        for (var i = 0; i < outcomes.Length; i++)
        {
            result[i] = outcomes[i] ?? throw new InvalidOperationException($"No outcome for recipient #{i}.");
        }

        return result;
    }

    private static bool TryMailbox(string address, out MailboxAddress mailbox)
    {
        // "" is the null reverse path: MailKit writes MAIL FROM:<>.
        try
        {
            mailbox = new MailboxAddress(string.Empty, address ?? string.Empty);
            return true;
        }
        catch (ParseException)
        {
            mailbox = null!;
            return false;
        }
    }

    /// <summary>A one-line reason for logs and replies: the innermost useful message, without stack or paragraphs.</summary>
    private static string ShortReason(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return inner.Message;
            }
        }

        var socket = e as SocketException ?? e.InnerException as SocketException;
        var message = socket is not null ? $"{socket.Message} ({socket.SocketErrorCode})" : e.Message;
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length <= 200 ? line : line[..200];
    }

    private sealed record EnvelopeRecipient(int Index, string Address, MailboxAddress Mailbox);

    private sealed record Relay(string Host, IPAddress Address, int Port)
    {
        public string Ip { get; } = Address.ToString();

        public override string ToString() =>
            $"{Host}[{Ip}]:{Port.ToString(CultureInfo.InvariantCulture)}";
    }
}

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
