namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>The memory benchmark's view of the relay process: its resident set now, beside the peak the fixture reports.</summary>
internal sealed partial class RelayProcess
{
    /// <summary>The relay's resident set size now (VmRSS of /proc/PID/status), in bytes.</summary>
    public long ResidentBytes =>
        File.ReadLines($"/proc/{_process.Id}/status")
            .Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024)
            .Single();

    /// <summary>The relay's process id, for attaching dotnet-counters or dotnet-gcdump while a scenario runs.</summary>
    public int ProcessId => _process.Id;
}
