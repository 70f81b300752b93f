namespace RelaySigner.Signing.Keys;

/// <summary>The layout of the key folder: <c>&lt;domain&gt;/&lt;selector&gt;.pem</c>, domains as lower-case A-labels.</summary>
public static class KeyFolder
{
    /// <summary>Every key file, ordered by domain then selector.</summary>
    public static IEnumerable<(string Domain, string Selector, string Path)> Files(string keysPath)
    {
        foreach (var domainFolder in Directory.EnumerateDirectories(keysPath).Order(StringComparer.Ordinal))
        {
            var domain = Path.GetFileName(domainFolder).ToLowerInvariant();
            foreach (var file in Directory.EnumerateFiles(domainFolder, "*.pem").Order(StringComparer.Ordinal))
            {
                yield return (domain, Path.GetFileNameWithoutExtension(file), file);
            }
        }
    }

    public static string PemPath(string keysPath, string domain, string selector) =>
        Path.Combine(keysPath, domain, selector + ".pem");

    /// <summary>
    /// A generated key waiting for its DNS record: the key store reads only <c>*.pem</c>, so the relay does not sign
    /// with it until <c>keys activate</c> renames it to <see cref="PemPath"/> (a signature whose key is not yet
    /// published fails DKIM at every receiver).
    /// </summary>
    public static string PendingPemPath(string keysPath, string domain, string selector) =>
        PemPath(keysPath, domain, selector) + PendingSuffix;

    public const string PendingSuffix = ".pending";

    /// <summary>Every key generated but not yet activated, ordered by domain then selector.</summary>
    public static IEnumerable<(string Domain, string Selector, string Path)> PendingFiles(string keysPath)
    {
        foreach (var domainFolder in Directory.EnumerateDirectories(keysPath).Order(StringComparer.Ordinal))
        {
            var domain = Path.GetFileName(domainFolder).ToLowerInvariant();
            foreach (var file in Directory.EnumerateFiles(domainFolder, "*.pem" + PendingSuffix).Order(StringComparer.Ordinal))
            {
                yield return (domain, Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(file)), file);
            }
        }
    }

    /// <summary>The DNS record written beside the key (read by <c>relaysigner sink --keys</c> and the tests).</summary>
    public static string RecordPath(string keysPath, string domain, string selector) =>
        Path.Combine(keysPath, domain, selector + ".txt");
}
