using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace RelaySigner.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for one test run: <c>initdb</c> into a temp folder, started by <c>pg_ctl</c> on a
/// port of its own on 127.0.0.1 (socket in the same folder), and stopped with <c>-m immediate</c> at the end, since
/// nothing in it is worth a clean shutdown. Each test takes a fresh database of its own (<see cref="CreateDatabaseAsync"/>,
/// about 0.1 s), so tests share the cluster's start-up (about 1.5 s) but no rows.
/// </summary>
/// <remarks>
/// A test project makes it a shared fixture (a collection fixture, one cluster per run) with a partial of its own that
/// implements xunit's <c>IAsyncLifetime</c> by <see cref="StartAsync"/> and <see cref="DisposeAsync"/>.
/// The server refuses to run as root, so as root (CI) the folder is handed to the <c>postgres</c> user and every
/// server command runs through <c>runuser -u postgres</c>. Binaries: <c>RELAYSIGNER_PG_BIN</c>, else the newest
/// <c>/usr/lib/postgresql/N/bin</c> (Debian's <c>postgresql</c> package, which <c>.ci/run</c> installs), else PATH.
/// </remarks>
public sealed partial class PostgreSqlServer : IAsyncDisposable
{
    private readonly string _bin = FindBinaries();
    private readonly bool _asRoot = Environment.UserName == "root";
    private string _folder = "";

    public int Port { get; private set; }

    public async Task StartAsync()
    {
        _folder = Directory.CreateTempSubdirectory("relaysigner-pg-").FullName;
        if (_asRoot)
        {
            await RunAsync("chmod", ["755", _folder], asServerUser: false);
            await RunAsync("chown", ["postgres", _folder], asServerUser: false);
        }

        var data = Path.Combine(_folder, "data");
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
        Port = FreePort();
        await RunAsync(Path.Combine(_bin, "pg_ctl"),
        [
            "-D", data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=300",
            "start",
        ]);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>An Npgsql connection string to <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    /// <returns>The connection string of a new, empty database.</returns>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("RELAYSIGNER_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return debian
            ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's postgresql package (bash .ci/run does) or set RELAYSIGNER_PG_BIN.");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asServerUser = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        if (asServerUser && _asRoot)
        {
            start.FileName = "runuser";
            foreach (var argument in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_folder, "server.log");
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} exited with {process.ExitCode}: {await output}{await error}" +
                (File.Exists(log) ? await File.ReadAllTextAsync(log) : ""));
        }
    }
}
