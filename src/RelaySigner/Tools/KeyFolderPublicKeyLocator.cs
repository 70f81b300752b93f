using System.Text.RegularExpressions;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Tools;

/// <summary>
/// Answers DKIM public-key lookups from the <c>&lt;domain&gt;/&lt;selector&gt;.txt</c> records beside the keys,
/// instead of DNS: lets the sink check signatures of demo keys that are published nowhere.
/// </summary>
public sealed partial class KeyFolderPublicKeyLocator(string keysPath) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        GetPublicKey(ReadRecord(domain, selector));

    public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));

    /// <summary>The TXT record's text: its quoted character-strings joined, as a resolver returns them.</summary>
    public string ReadRecord(string domain, string selector)
    {
        var path = KeyFolder.RecordPath(keysPath, domain.ToLowerInvariant(), selector);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no DKIM record for s={selector} d={domain}", path);
        }

        return string.Concat(QuotedString().Matches(File.ReadAllText(path)).Select(m => m.Groups[1].Value));
    }

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedString();
}
