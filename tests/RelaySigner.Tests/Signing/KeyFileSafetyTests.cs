using System.Diagnostics;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;
using RelaySigner.Signing.Keys;
using RelaySigner.Testing;
using RelaySigner.Tests.Delivery;

namespace RelaySigner.Tests.Signing;

/// <summary>
/// Keys that other users could have written or own are refused, at start and at reload; keys they can read load
/// with a warning (RequireSafeKeys, as OpenDKIM). Permission bits and owners: not on Windows.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class KeyFileSafetyTests : IDisposable
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Everyone = (UnixFileMode)0b111_111_111;
    private readonly TempFolder _keys = new();

    private string KeyFile => KeyFolder.PemPath(_keys.Path, "example.com", "ed");

    [Fact]
    public void A_key_file_others_can_write_stops_the_start_naming_the_file_and_the_fix()
    {
        TestKeys.WriteEd25519(_keys.Path, "example.com", "ed");
        File.SetUnixFileMode(KeyFile, OwnerOnlyFile | UnixFileMode.OtherWrite);

        var error = Assert.Throws<InvalidOperationException>(() => TestKeys.OpenStore(_keys.Path));

        Assert.Contains($"{KeyFile}: refused, {KeyFile} can be written by other users (mode 0602); fix: chmod go-w {KeyFile}", error.Message);
    }

    [Fact]
    public void A_domain_folder_the_group_can_write_stops_the_start_naming_the_folder()
    {
        TestKeys.WriteEd25519(_keys.Path, "example.com", "ed");
        var folder = Path.GetDirectoryName(KeyFile)!;
        File.SetUnixFileMode(folder, Everyone & ~UnixFileMode.OtherWrite);

        var error = Assert.Throws<InvalidOperationException>(() => TestKeys.OpenStore(_keys.Path));

        Assert.Contains($"{folder} can be written by other users (mode 0775); fix: chmod go-w {folder}", error.Message);
    }

    [Fact]
    public void A_key_others_can_read_loads_with_a_warning_naming_the_fix()
    {
        TestKeys.WriteEd25519(_keys.Path, "example.com", "ed");
        File.SetUnixFileMode(KeyFile, OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var logger = new AwaitableLogger<DkimKeyStore>();

        using var store = TestKeys.OpenStore(_keys.Path, logger: logger);

        Assert.NotNull(store.Find("example.com"));
        var warning = Assert.Single(logger.Entries, e => e.EventId == EventIds.Signing.KeyReadableByOthers);
        Assert.Equal($"{KeyFile} can be read by other users (mode 0644); fix: chmod 600 {KeyFile}", warning["Warning"]);
    }

    [Fact]
    public void An_owner_only_key_loads_without_a_warning()
    {
        TestKeys.WriteEd25519(_keys.Path, "example.com", "ed");
        File.SetUnixFileMode(KeyFile, OwnerOnlyFile);
        var logger = new AwaitableLogger<DkimKeyStore>();

        using var store = TestKeys.OpenStore(_keys.Path, logger: logger);

        Assert.NotNull(store.Find("example.com"));
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public void A_key_owned_by_another_user_than_the_relays_and_root_is_refused()
    {
        TestKeys.WriteEd25519(_keys.Path, "example.com", "ed");
        var owner = UnixFileStatus.Of(KeyFile).OwnerId!.Value;
        uint relayUser = 0;
        if (owner == 0)
        {
            Chown("65534", KeyFile); // as root (CI): give the file to nobody
        }
        else
        {
            relayUser = owner + 1; // otherwise: a relay running as someone else
        }

        var error = Assert.Throws<InvalidDataException>(() => KeyFileSafety.Check(_keys.Path, KeyFile, relayUser));

        Assert.Equal(
            $"{KeyFile}: refused, {KeyFile} is owned by uid {(owner == 0 ? 65534 : owner)}, neither the relay's user (uid {relayUser}) nor root; fix: chown {relayUser} {KeyFile}",
            error.Message);
    }

    [Fact]
    public async Task A_key_replaced_by_one_others_can_write_while_running_is_refused_and_the_last_good_key_keeps_signing()
    {
        TestKeys.WriteEd25519(_keys.Path, "example.com", "ed");
        var logger = new AwaitableLogger<DkimKeyStore>();
        using var store = TestKeys.OpenStore(_keys.Path, logger: logger);
        var loaded = PublicKey(store);
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Reloaded += (_, _) =>
        {
            if (logger.Entries.Any(e => e.EventId == EventIds.Signing.KeyReloadFailed))
            {
                reloaded.TrySetResult();
            }
        };

        // Another key, written aside, opened to everyone and renamed over the key: what someone with write access could do.
        using var elsewhere = new TempFolder();
        TestKeys.WriteEd25519(elsewhere.Path, "example.com", "ed");
        var replacement = Path.Combine(_keys.Path, "replacement.pem");
        File.Copy(KeyFolder.PemPath(elsewhere.Path, "example.com", "ed"), replacement);
        File.SetUnixFileMode(replacement, Everyone);
        File.Move(replacement, KeyFile, overwrite: true);
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Contains(logger.Entries, e => e.EventId == EventIds.Signing.KeyReloadFailed && ((string)e["Error"]!).StartsWith($"{KeyFile}: refused, {KeyFile} can be written by other users (mode 0777)", StringComparison.Ordinal));
        Assert.Equal(loaded, PublicKey(store));
    }

    public void Dispose() => _keys.Dispose();

    private static byte[] PublicKey(DkimKeyStore store) =>
        ((Org.BouncyCastle.Crypto.Parameters.Ed25519PublicKeyParameters)store.Find("example.com")!.Keys.Single().PublicKey).GetEncoded();

    private static void Chown(string owner, string path)
    {
        using var chown = Process.Start("chown", [owner, path]);
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}
