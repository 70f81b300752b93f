using System.CommandLine;
using System.Net;
using System.Text;
using RelaySigner.Tools;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner sink</c>: a local receiving server that prints what arrives, with DKIM results.</summary>
internal static class SinkCommand
{
    public static Command Create()
    {
        var address = new Option<string>("--address") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on", DefaultValueFactory = _ => 2526 };
        var keys = new Option<string?>("--keys") { Description = "Key folder whose <domain>/<selector>.txt records verify signatures (e.g. keys.example)" };
        var command = new Command("sink", "Receive mail on a local port and print each message, e.g. as the relay's smarthost in a demo.") { address, port, keys };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var keysPath = parseResult.GetValue(keys);
            var check = keysPath is null ? null : new DkimCheck(new KeyFolderPublicKeyLocator(keysPath));
            if (!IPAddress.TryParse(parseResult.GetValue(address), out var listenAddress))
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: --address '{parseResult.GetValue(address)}' is not an IP address");
                return 2;
            }

            SmtpSink started;
            try
            {
                started = SmtpSink.Start(new IPEndPoint(listenAddress, parseResult.GetValue(port)));
            }
            catch (IOException ex)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {ex.Message}");
                return 1;
            }

            await using var sink = started;
            parseResult.InvocationConfiguration.Output.WriteLine($"sink listening on {sink.Endpoint}; Ctrl+C to stop");
            try
            {
                await foreach (var message in sink.Received.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    parseResult.InvocationConfiguration.Output.WriteLine($"=== from=<{message.Sender}> to=<{string.Join(">, <", message.Recipients)}> size={message.Content.Length}");
                    foreach (var result in check?.Verify(message.Content) ?? [])
                    {
                        parseResult.InvocationConfiguration.Output.WriteLine(result);
                    }

                    parseResult.InvocationConfiguration.Output.WriteLine(Encoding.UTF8.GetString(message.Content));
                }
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }
}
