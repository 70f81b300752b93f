using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// A real DNS server for the MX tests: Debian's <c>unbound</c> on 127.0.0.1 and a free port, with its own config in
/// a temp folder, answering only from local data (no root hints are ever used: everything outside the test zones is
/// refused). Every address it hands out is 127.0.0.1 or ::1.
/// </summary>
/// <remarks>
/// Zones: <c>mx.test</c> (MX 10 mx1, MX 20 mx2), <c>eq.test</c> (two MX of equal preference), <c>skip.test</c> (its
/// preferred MX host has no address), <c>implicit.test</c> (A and AAAA, no MX), <c>sender.test</c> (MX → mx1, for
/// bounces), <c>nullmx.test</c> (RFC 7505 "MX 0 ."), any other <c>*.test</c> name is NXDOMAIN, and
/// <c>servfail.test</c> is forwarded to a server unbound may not query (localhost), which yields SERVFAIL.
/// </remarks>
internal sealed class UnboundServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempFolder _folder;

    private UnboundServer(Process process, TempFolder folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>For <c>Relay:Delivery:DnsServer</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public static async Task<UnboundServer> StartAsync()
    {
        var folder = new TempFolder();
        var port = FreeUdpAndTcpPort();
        var config = Path.Combine(folder.Path, "unbound.conf");
        await File.WriteAllTextAsync(config, $$"""
            server:
              interface: 127.0.0.1
              port: {{port}}
              do-ip6: no
              do-daemonize: no
              username: ""
              chroot: ""
              directory: "{{folder.Path}}"
              pidfile: ""
              use-syslog: no
              logfile: ""
              verbosity: 1
              access-control: 127.0.0.0/8 allow
              module-config: "iterator"
              do-not-query-localhost: yes
              local-zone: "." refuse
              local-zone: "test." static
              local-data: "mx.test. MX 10 mx1.mx.test."
              local-data: "mx.test. MX 20 mx2.mx.test."
              local-data: "mx1.mx.test. A 127.0.0.1"
              local-data: "mx1.mx.test. AAAA ::1"
              local-data: "mx2.mx.test. A 127.0.0.1"
              local-data: "eq.test. MX 10 a.eq.test."
              local-data: "eq.test. MX 10 b.eq.test."
              local-data: "a.eq.test. A 127.0.0.1"
              local-data: "b.eq.test. A 127.0.0.1"
              local-data: "skip.test. MX 10 noaddress.skip.test."
              local-data: "skip.test. MX 20 mx2.mx.test."
              local-data: "noaddress.skip.test. TXT \"no address here\""
              local-data: "implicit.test. A 127.0.0.1"
              local-data: "implicit.test. AAAA ::1"
              local-data: "sender.test. MX 10 mx1.mx.test."
              local-data: "nullmx.test. MX 0 ."
              local-zone: "servfail.test." transparent
            forward-zone:
              name: "servfail.test."
              forward-addr: 127.0.0.1@1
            """);

        var start = new ProcessStartInfo("unbound", ["-d", "-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (log)
            {
                log.Add(e.Data);
            }

            if (e.Data.Contains("start of service", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += collect;
        process.OutputDataReceived += collect;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("unbound exited: " + string.Join("\n", log)));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return new UnboundServer(process, folder, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _folder.Dispose();
    }

    /// <summary>A port free for both UDP and TCP on 127.0.0.1 (DNS uses both).</summary>
    private static int FreeUdpAndTcpPort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
            }
        }
    }
}
