using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// The relay as a real separate process (<c>dotnet relaysigner.dll run …</c> from the test output folder), so a test
/// can SIGKILL it. Its console log is kept, in the JSON format so that each entry's event id and fields can be read
/// (<see cref="Entries"/>); <see cref="StartAsync"/> returns once it has started (its start summary, event 5100).
/// </summary>
internal sealed partial class RelayProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<LogEntry> _entries = [];

    private RelayProcess(Process process) => _process = process;

    public int Port { get; private set; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The log entries so far: every console line that is a JSON log entry.</summary>
    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_lines)
            {
                return [.. _entries];
            }
        }
    }

    /// <param name="settings">Configuration overrides, e.g. ("Relay:Delivery:Smarthost", "127.0.0.1:2526").</param>
    public static Task<RelayProcess> StartAsync(string queuePath, string workingDirectory, params (string Key, string Value)[] settings) =>
        StartAsync(queuePath, workingDirectory, new Dictionary<string, string?>(), settings);

    /// <param name="environment">Environment variables for the relay, e.g. DOTNET_ENVIRONMENT.</param>
    public static async Task<RelayProcess> StartAsync(string queuePath, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params (string Key, string Value)[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "relaysigner.dll"));
        start.ArgumentList.Add("run");
        foreach (var arg in new[]
                 {
                     "--Relay:Smtp:Address=127.0.0.1",
                     "--Relay:Smtp:Port=0",
                     "--Relay:Admin:Urls=http://127.0.0.1:0",
                     $"--Relay:Queue:Path={queuePath}",
                     $"--Relay:Dkim:KeysPath={RepositoryRoot.KeysExample}",
                     "--Logging:Console:FormatterName=json",
                     // The start summary (event 5100) tells that the relay has started, whatever level the caller sets.
                     "--Logging:LogLevel:RelaySigner.Operations.StartupSummary=Information",
                 }.Concat(settings.Select(s => $"--{s.Key}={s.Value}")))
        {
            start.ArgumentList.Add(arg);
        }

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var relay = new RelayProcess(process);
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            var entry = ParseEntry(e.Data);
            lock (relay._lines)
            {
                relay._lines.Add(e.Data);
                if (entry is not null)
                {
                    relay._entries.Add(entry);
                }
            }

            if (entry?.EventId == EventIds.Intake.Listening)
            {
                listening.TrySetResult(IPEndPoint.Parse(entry.Text("Endpoint")!).Port);
            }

            // The start summary is logged once every hosted service has started.
            if (entry?.EventId == EventIds.Host.Started)
            {
                started.TrySetResult();
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Exited += (_, _) =>
        {
            var exited = new InvalidOperationException("relaysigner exited before it had started:\n" + string.Join("\n", relay.Lines));
            listening.TrySetException(exited);
            started.TrySetException(exited);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        relay.Port = await listening.Task.WaitAsync(StartPatience);
        await started.Task.WaitAsync(StartPatience);
        return relay;
    }

    /// <summary>CPU time the relay process has used so far (user + system).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The relay's peak resident set size so far (VmHWM of /proc/PID/status), in bytes.</summary>
    public long PeakResidentBytes =>
        File.ReadLines($"/proc/{_process.Id}/status")
            .Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024)
            .Single();

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed or closed by the relay.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    /// <summary>
    /// A line of the JSON console formatter as a <see cref="LogEntry"/> (its State holds the named fields, as JSON
    /// values), or null for anything else the process writes (an error line on stderr, a runtime's crash report).
    /// </summary>
    private static LogEntry? ParseEntry(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var fields = root.TryGetProperty("State", out var state)
                ? state.EnumerateObject().Where(f => f.Name is not ("Message" or "{OriginalFormat}"))
                    .ToDictionary(f => f.Name, f => (object?)(f.Value.ValueKind == JsonValueKind.String ? f.Value.GetString() : f.Value.GetRawText()))
                : [];
            return new LogEntry(
                root.GetProperty("EventId").GetInt32(),
                Enum.Parse<LogLevel>(root.GetProperty("LogLevel").GetString()!),
                root.GetProperty("Message").GetString()!,
                Exception: null,
                fields);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
