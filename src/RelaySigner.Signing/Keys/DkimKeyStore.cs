using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit.Cryptography;

namespace RelaySigner.Signing.Keys;

/// <summary>
/// The signing keys found under <see cref="DkimOptions.KeysPath"/>, loaded once at start.
/// Every broken file is reported at once, by path, and stops the start: a relay that silently skips a key
/// would send unsigned or unaligned mail.
/// </summary>
public sealed class DkimKeyStore
{
    private readonly Dictionary<string, IReadOnlyList<DkimKey>> _keysByDomain;

    public DkimKeyStore(IOptions<DkimOptions> options, IHostEnvironment environment, ILogger<DkimKeyStore> logger)
    {
        KeysPath = Path.GetFullPath(options.Value.KeysPath, environment.ContentRootPath);
        _keysByDomain = Load(KeysPath);
        foreach (var key in _keysByDomain.Values.SelectMany(k => k))
        {
            SigningLog.KeyLoaded(logger, key.Domain, key.Selector, key.Algorithm, key.FilePath);
        }
    }

    public string KeysPath { get; }

    public int DomainCount => _keysByDomain.Count;

    /// <summary>The keys that sign for exactly <paramref name="domain"/> (lower-case A-labels), or none.</summary>
    public IReadOnlyList<DkimKey> KeysFor(string domain) =>
        _keysByDomain.TryGetValue(domain, out var keys) ? keys : [];

    private static Dictionary<string, IReadOnlyList<DkimKey>> Load(string keysPath)
    {
        if (!Directory.Exists(keysPath))
        {
            throw new InvalidOperationException($"Relay:Dkim:KeysPath: folder {keysPath} does not exist");
        }

        var errors = new List<string>();
        var keys = new Dictionary<string, IReadOnlyList<DkimKey>>(StringComparer.OrdinalIgnoreCase);
        foreach (var domainFolder in Directory.EnumerateDirectories(keysPath).Order(StringComparer.Ordinal))
        {
            var domain = Path.GetFileName(domainFolder).ToLowerInvariant();
            var domainKeys = new List<DkimKey>();
            foreach (var file in Directory.EnumerateFiles(domainFolder, "*.pem").Order(StringComparer.Ordinal))
            {
                try
                {
                    var (privateKey, algorithm) = KeyFileReader.Read(file);
                    var selector = Path.GetFileNameWithoutExtension(file);
                    var signer = new DkimSigner(privateKey, domain, selector, algorithm)
                    {
                        HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                        BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                    };
                    domainKeys.Add(new DkimKey(domain, selector, algorithm, file, signer));
                }
                catch (InvalidDataException ex)
                {
                    errors.Add(ex.Message);
                }
            }

            if (domainKeys.Count > 0)
            {
                keys[domain] = domainKeys;
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("DKIM keys could not be loaded:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        return keys;
    }
}
