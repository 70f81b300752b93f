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

    /// <summary>The DNS record written beside the key (read by <c>relaysigner sink --keys</c> and the tests).</summary>
    public static string RecordPath(string keysPath, string domain, string selector) =>
        Path.Combine(keysPath, domain, selector + ".txt");
}
