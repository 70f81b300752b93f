using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using RelaySigner.Core;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// Opens and closes SMTP connections to one relay address: TCP connect bounded by
/// <see cref="DeliveryOptions.ConnectTimeout"/>, every later read and write bounded by
/// <see cref="DeliveryOptions.CommandTimeout"/>, greeting, EHLO and opportunistic STARTTLS. A connection that
/// cannot be made comes back as a temporary reply, so the caller can try the next address.
/// </summary>
internal sealed class SmtpConnector
{
    private readonly DeliveryOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _heloName;

    public SmtpConnector(DeliveryOptions options, ILogger logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _heloName = options.EffectiveHeloName;
    }

    /// <summary>A client for one session with <paramref name="relay"/>; the caller disposes it.</summary>
    public RecordingSmtpClient CreateClient(QueueId id, DestinationAddress relay)
    {
        var client = new RecordingSmtpClient
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
        return client;
    }

    /// <summary>
    /// Connects <paramref name="client"/> to <paramref name="relay"/>. Returns null when the server greeted and the
    /// session is ready for a transaction, or the (temporary) reason to try the next address.
    /// </summary>
    public async Task<SmtpReply?> ConnectAsync(QueueId id, RecordingSmtpClient client, DestinationAddress relay, CancellationToken cancellationToken)
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
            var reason = e is OperationCanceledException ? "connection timed out" : FailureReason.Of(e);
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
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return e switch
            {
                SslHandshakeException or System.Security.Authentication.AuthenticationException =>
                    OutcomeClassifier.Temporary("4.7.5", $"TLS handshake with {relay} failed: {FailureReason.Of(e)}"),
                SmtpCommandException command =>
                    OutcomeClassifier.Temporary("4.4.2",
                        $"{relay} refused to talk to me: {OutcomeClassifier.ParseReply((int)command.StatusCode, command.Message)}"),
                _ => OutcomeClassifier.Temporary("4.4.2", $"lost connection with {relay} during greeting: {FailureReason.Of(e)}"),
            };
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (client.IsSecure)
        {
            DeliveryLog.TlsEstablished(_logger, id, relay.Host, relay.Ip, relay.Port,
                client.SslProtocol.ToString(), client.SslCipherSuite?.ToString());
        }

        return null;
    }

    /// <summary>Ends the session politely; never throws, because the outcomes are already known.</summary>
    public async Task QuitAsync(QueueId id, RecordingSmtpClient client, DestinationAddress relay, CancellationToken cancellationToken)
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
            DeliveryLog.QuitFailed(_logger, id, relay.Host, relay.Ip, relay.Port, FailureReason.Of(e));
        }
    }
}
