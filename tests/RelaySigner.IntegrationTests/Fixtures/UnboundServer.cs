using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// A real DNS server for the tests: Debian's unbound on 127.0.0.1 and a free port, with its own config in a temp
/// folder, answering only from the local-data it is given: every other name is NXDOMAIN, no root hint is ever used,
/// and nothing is asked of the internet. Zones named as SERVFAIL zones are forwarded to a server unbound may not
/// query (localhost), which makes it answer SERVFAIL.
/// </summary>
internal sealed class UnboundServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempFolder _folder;

    private UnboundServer(Process process, TempFolder folder, IPEndPoint endpoint)
    {
        _process = process;
        _folder = folder;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    /// <param name="localData">Resource records in zone-file syntax, e.g. <c>example.com. 300 IN TXT "v=spf1 -all"</c>.</param>
    /// <param name="servfailZones">Zones whose every name answers SERVFAIL, e.g. <c>servfail.test</c>.</param>
    public static async Task<UnboundServer> StartAsync(IEnumerable<string> localData, IEnumerable<string>? servfailZones = null)
    {
        var folder = new TempFolder();
        var port = FreeUdpAndTcpPort();
        var config = new StringBuilder()
            .AppendLine("server:")
            .AppendLine("  interface: 127.0.0.1")
            .AppendLine($"  port: {port}")
            .AppendLine("  do-daemonize: no")
            .AppendLine("  use-syslog: no")
            .AppendLine("  logfile: \"\"")
            .AppendLine("  verbosity: 1")
            .AppendLine("  username: \"\"")
            .AppendLine("  chroot: \"\"")
            .AppendLine($"  directory: \"{folder.Path}\"")
            .AppendLine($"  pidfile: \"{folder.Path}/unbound.pid\"")
            .AppendLine("  do-ip6: no")
            .AppendLine("  access-control: 127.0.0.0/8 allow")
            .AppendLine("  module-config: \"iterator\"")
            .AppendLine("  do-not-query-localhost: yes")
            .AppendLine("  local-zone: \".\" static");
        foreach (var record in localData)
        {
            config.AppendLine($"  local-data: '{record}'");
        }

        var failing = servfailZones?.ToList() ?? [];
        foreach (var zone in failing)
        {
            config.AppendLine($"  local-zone: \"{zone}.\" transparent");
        }

        config.AppendLine("remote-control:").AppendLine("  control-enable: no");
        foreach (var zone in failing)
        {
            config.AppendLine("forward-zone:").AppendLine($"  name: \"{zone}.\"").AppendLine("  forward-addr: 127.0.0.1@1");
        }
        var configPath = Path.Combine(folder.Path, "unbound.conf");
        await File.WriteAllTextAsync(configPath, config.ToString());

        var process = Process.Start(new ProcessStartInfo("/usr/sbin/unbound", ["-d", "-c", configPath]) { RedirectStandardError = true })!;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                started.TrySetException(new InvalidOperationException("unbound exited: " + errors));
                return;
            }

            errors.AppendLine(e.Data);
            if (e.Data.Contains("start of service", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return new UnboundServer(process, folder, new IPEndPoint(IPAddress.Loopback, port));
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _folder.Dispose();
    }

    private static int FreeUdpAndTcpPort()
    {
        while (true)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP: try another.
            }
        }
    }
}
