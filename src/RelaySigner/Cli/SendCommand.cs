using System.CommandLine;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using RelaySigner.Core.Net;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner send</c>: hands the relay a test message, the way an application would.</summary>
internal static class SendCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "Relay to hand the message to, host:port", DefaultValueFactory = _ => "127.0.0.1:2525" };
        var from = new Option<string>("--from") { Description = "From header and envelope sender", DefaultValueFactory = _ => "demo@example.com" };
        var to = new Option<string[]>("--to") { Description = "Recipient(s)", Required = true, AllowMultipleArgumentsPerToken = true };
        var subject = new Option<string>("--subject") { Description = "Subject", DefaultValueFactory = _ => "RelaySigner test message" };
        var body = new Option<string>("--body") { Description = "Plain-text body", DefaultValueFactory = _ => "Hello from RelaySigner." };
        var command = new Command("send", "Send a test message to a relay over SMTP and print its reply.") { server, from, to, subject, body };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var errors = parseResult.InvocationConfiguration.Error;
            var message = new MimeMessage();
            foreach (var (option, address) in parseResult.GetValue(to)!.Select(a => ("--to", a)).Prepend(("--from", parseResult.GetValue(from)!)))
            {
                // MimeKit accepts display names and groups; an envelope address is a bare mailbox with a domain.
                if (!MailboxAddress.TryParse(address, out var mailbox) || string.IsNullOrEmpty(mailbox.Domain) || mailbox.Address != address.Trim())
                {
                    errors.WriteLine($"error: {option} '{address}' is not an address like name@example.com");
                    return 2;
                }

                (option == "--from" ? message.From : message.To).Add(mailbox);
            }

            message.Subject = parseResult.GetValue(subject) ?? string.Empty;
            message.Body = new TextPart("plain") { Text = parseResult.GetValue(body) ?? string.Empty };
            if (!HostEndpoint.TryParse(parseResult.GetValue(server), 25, out var relay))
            {
                errors.WriteLine($"error: --server '{parseResult.GetValue(server)}' is not host:port");
                return 2;
            }

            var (host, port) = (relay.Host, relay.Port);

            using var client = new SmtpClient();
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
                await client.ConnectAsync(socket, host, port, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
                var reply = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
                await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
                parseResult.InvocationConfiguration.Output.WriteLine(reply);
                return 0;
            }
            catch (SmtpCommandException refused)
            {
                // The relay's answer is the point of this verb: show it, not a stack trace.
                errors.WriteLine($"refused: {(int)refused.StatusCode} {refused.Message}");
                return 1;
            }
            catch (Exception ex) when (ex is SocketException or SmtpProtocolException or IOException)
            {
                errors.WriteLine($"error: {host}:{port}: {ex.Message}");
                return 2;
            }
        });
        return command;
    }
}
