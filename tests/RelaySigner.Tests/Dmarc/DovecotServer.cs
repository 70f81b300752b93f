using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace RelaySigner.Tests.Dmarc;

/// <summary>
/// A throwaway IMAP server for one test: Debian's dovecot (<c>dovecot-imapd</c>, which <c>.ci/run</c> installs) in the
/// foreground with a configuration of its own in a temp folder: implicit TLS on 127.0.0.1 and a free port, a
/// self-signed certificate for 127.0.0.1 made here, one passwd-file user, a maildir the test fills before the start.
/// As root (CI) the mail processes run as Debian's <c>mail</c> user, which owns the maildir; otherwise as the
/// current user. Disposing stops it (SIGTERM to the master, which takes its children along) and removes the folder.
/// </summary>
internal sealed class DovecotServer : IAsyncDisposable
{
    public const string User = "reports";
    public const string Password = "imap-test-secret";

    private readonly string _folder = Directory.CreateTempSubdirectory("relaysigner-imap-").FullName;
    private readonly bool _asRoot = Environment.UserName == "root";
    private Process? _dovecot;

    public int Port { get; private set; }

    /// <summary>The server's self-signed certificate (PEM), to trust instead of the system's CAs.</summary>
    public string CertificatePath => Path.Combine(_folder, "cert.pem");

    /// <summary>A file holding <see cref="Password"/>, as <c>Relay:Dmarc:Imap:PasswordPath</c> wants it.</summary>
    public string PasswordPath => Path.Combine(_folder, "password");

    private string Maildir => Path.Combine(_folder, "mail", User);

    /// <summary>Starts the server with <paramref name="inbox"/> in the user's INBOX; returns once it accepts connections.</summary>
    public static async Task<DovecotServer> StartAsync(IEnumerable<byte[]> inbox)
    {
        var server = new DovecotServer();
        try
        {
            await server.StartAsync(inbox.ToList());
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many messages a folder holds, asked over IMAP as any client would.</summary>
    public async Task<int> CountAsync(string folder)
    {
        using var client = await ConnectAsync();
        var mailbox = await client.GetFolderAsync(folder);
        await mailbox.OpenAsync(FolderAccess.ReadOnly);
        var count = mailbox.Count;
        await client.DisconnectAsync(true);
        return count;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dovecot is { HasExited: false })
        {
            // SIGTERM: the master stops its children; Process.Kill would send SIGKILL and orphan them.
            Process.Start("kill", ["-TERM", _dovecot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await _dovecot.WaitForExitAsync();
        }

        _dovecot?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task StartAsync(List<byte[]> inbox)
    {
        WriteCertificate();
        File.WriteAllText(PasswordPath, Password + "\n");
        File.WriteAllText(Path.Combine(_folder, "passwd"), $"{User}:{{PLAIN}}{Password}\n");
        foreach (var box in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(Maildir, box));
        }

        for (var i = 0; i < inbox.Count; i++)
        {
            // Maildir names: unique per message; delivered, unread mail lives in new/.
            File.WriteAllBytes(Path.Combine(Maildir, "new", $"1700000000.M{i}P1.test"), inbox[i]);
        }

        var mailUser = _asRoot ? "mail" : Environment.UserName;
        if (_asRoot)
        {
            // The temp folder is 0700; dovecot's auth and login processes run as its own users and must reach the passwd file.
            await RunAsync("chmod", "755", _folder);
            await RunAsync("chown", "-R", "mail:mail", Path.Combine(_folder, "mail"));
        }

        Port = FreePort();
        var config = Path.Combine(_folder, "dovecot.conf");
        File.WriteAllText(config, $$"""
            base_dir = {{_folder}}/run
            state_dir = {{_folder}}/state
            log_path = {{_folder}}/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            ssl = required
            ssl_cert = <{{CertificatePath}}
            ssl_key = <{{_folder}}/key.pem
            auth_mechanisms = plain
            first_valid_uid = 1
            mail_location = maildir:{{_folder}}/mail/%u
            mail_uid = {{mailUser}}
            mail_gid = {{mailUser}}
            {{(_asRoot ? "" : $"default_login_user = {mailUser}\ndefault_internal_user = {mailUser}")}}
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{_folder}}/passwd
            }
            userdb {
              driver = static
              args = home={{_folder}}/mail/%u
            }
            service imap-login {
              inet_listener imap {
                port = 0
              }
              inet_listener imaps {
                port = {{Port}}
                ssl = yes
              }
            }
            """);
        _dovecot = Process.Start("dovecot", ["-F", "-c", config]);
        await WaitUntilListeningAsync();
    }

    /// <summary>Connection attempts until one succeeds: the master binds its listeners shortly after it starts.</summary>
    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (_dovecot!.HasExited)
            {
                var log = Path.Combine(_folder, "dovecot.log");
                throw new InvalidOperationException($"dovecot exited with {_dovecot.ExitCode}; is dovecot-imapd installed? " +
                    (File.Exists(log) ? File.ReadAllText(log) : ""));
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    private void WriteCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}");
        }
    }
}
