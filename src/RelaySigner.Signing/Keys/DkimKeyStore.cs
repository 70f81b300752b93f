using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using RelaySigner.Signing.Dkim;
using RelaySigner.Signing.Policy;

namespace RelaySigner.Signing.Keys;

/// <summary>
/// The signing keys under <see cref="DkimOptions.KeysPath"/>, set up with their domain's settings.
/// At start every broken file is reported at once, by path, and stops the start: a relay that silently skips a key
/// would refuse or send unsigned mail. Afterwards the folder is watched and re-read on every change, without a
/// restart; a file that has become unreadable is reported by path and its last good key keeps signing. A key that
/// other users could have written or own is refused, at start and at reload (<see cref="KeyFileSafety"/>).
/// </summary>
public sealed class DkimKeyStore : IDisposable
{
    private readonly Dictionary<string, DkimDomainOptions> _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<DkimKeyStore> _logger;
    private readonly FileSystemWatcher _watcher;
    private readonly Lock _reloading = new();
    private volatile IReadOnlyDictionary<string, DkimKey> _keysByPath;
    private volatile IReadOnlyDictionary<string, SigningDomain> _domains;

    public DkimKeyStore(IOptions<DkimOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<DkimKeyStore> logger)
    {
        _time = time;
        _logger = logger;
        _settings = options.Value.Domains.ToDictionary(d => d.Key.TrimEnd('.').ToLowerInvariant(), d => d.Value, StringComparer.OrdinalIgnoreCase);
        HasBulkDomains = _settings.Values.Any(d => d.Bulk);
        KeysPath = Path.GetFullPath(options.Value.KeysPath, environment.ContentRootPath);
        if (!Directory.Exists(KeysPath))
        {
            throw new InvalidOperationException($"Relay:Dkim:KeysPath: folder {KeysPath} does not exist");
        }

        var (keys, errors) = ReadAll(new Dictionary<string, DkimKey>());
        var (domains, selectorErrors) = Group(keys);
        errors.AddRange(selectorErrors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("DKIM keys could not be loaded:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        _keysByPath = keys;
        _domains = domains;
        foreach (var key in keys.Values)
        {
            SigningLog.KeyLoaded(logger, key.Domain, key.Selector, key.Algorithm, key.Bits, key.FilePath);
        }

        _watcher = new FileSystemWatcher(KeysPath) { IncludeSubdirectories = true };
        _watcher.Changed += OnFolderChanged;
        _watcher.Created += OnFolderChanged;
        _watcher.Deleted += OnFolderChanged;
        _watcher.Renamed += OnFolderChanged;
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Raised after the folder has been re-read because a file changed.</summary>
    public event EventHandler? Reloaded;

    public string KeysPath { get; }

    /// <summary>Whether any domain is marked <see cref="DkimDomainOptions.Bulk"/>: without one, the signer need not look.</summary>
    public bool HasBulkDomains { get; }

    /// <summary>The keys and settings that sign for exactly <paramref name="domain"/>, or null (case-insensitive).</summary>
    public SigningDomain? Find(string domain) => _domains.GetValueOrDefault(domain.TrimEnd('.'));

    /// <summary>Every key that signs for some domain.</summary>
    public IEnumerable<DkimKey> SigningKeys => _domains.Values.SelectMany(d => d.Keys);

    /// <summary>The configured settings of exactly <paramref name="domain"/>, or null.</summary>
    public DkimDomainOptions? SettingsOf(string domain) => _settings.GetValueOrDefault(domain.TrimEnd('.'));

    public void Dispose() => _watcher.Dispose();

    private void OnFolderChanged(object sender, FileSystemEventArgs e)
    {
        lock (_reloading)
        {
            try
            {
                var (keys, errors) = ReadAll(_keysByPath);
                var (domains, selectorErrors) = Group(keys);
                foreach (var error in errors.Concat(selectorErrors))
                {
                    SigningLog.KeyReloadFailed(_logger, error);
                }

                _keysByPath = keys;
                _domains = domains;
                SigningLog.KeysReloaded(_logger, keys.Count, domains.Count, KeysPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The folder itself vanished or is unreadable: keep signing with what was loaded.
                SigningLog.KeyReloadFailed(_logger, $"{KeysPath}: {ex.GetType().Name}");
            }
        }

        Reloaded?.Invoke(this, EventArgs.Empty);
    }

    /// <param name="previous">Keys loaded before, by path: kept for a file that has become unreadable.</param>
    private (Dictionary<string, DkimKey> Keys, List<string> Errors) ReadAll(IReadOnlyDictionary<string, DkimKey> previous)
    {
        var keys = new Dictionary<string, DkimKey>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var (domain, selector, path) in KeyFolder.Files(KeysPath))
        {
            try
            {
                var warning = KeyFileSafety.Check(KeysPath, path);
                keys[path] = Create(domain, selector, KeyFileReader.Read(path));
                if (warning is not null)
                {
                    SigningLog.KeyReadableByOthers(_logger, warning);
                }
            }
            catch (InvalidDataException ex)
            {
                errors.Add(previous.ContainsKey(path) ? ex.Message + "; the previously loaded key stays in use" : ex.Message);
                if (previous.TryGetValue(path, out var lastGood))
                {
                    keys[path] = lastGood;
                }
            }
        }

        return (keys, errors);
    }

    private DkimKey Create(string domain, string selector, PrivateKeyFile file)
    {
        var settings = SettingsOf(domain) ?? new DkimDomainOptions();
        var canonicalization = Canonicalization.Parse(settings.Canonicalization) ?? Canonicalization.RelaxedRelaxed;
        DkimSigningKey signingKey = file.Key switch
        {
            RsaPrivateCrtKeyParameters rsa => new RsaSigningKey(PlatformRsa(rsa)),
            Ed25519PrivateKeyParameters ed25519 => new Ed25519SigningKey(ed25519),
            _ => throw new InvalidOperationException($"{file.Path}: unsupported key type"),
        };
        var signer = new DkimSignatureWriter(domain, selector, signingKey, canonicalization, settings.SignatureLifetime, _time);
        return new DkimKey(domain, selector, file.Algorithm, file.Bits, file.Path, signer, PublicKeys.Of(file.Key));
    }

    private static RSA PlatformRsa(RsaPrivateCrtKeyParameters key)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(DotNetUtilities.ToRSAParameters(key));
        return rsa;
    }

    private (Dictionary<string, SigningDomain> Domains, List<string> Errors) Group(IReadOnlyDictionary<string, DkimKey> keys)
    {
        var domains = new Dictionary<string, SigningDomain>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        foreach (var group in keys.Values.GroupBy(k => k.Domain))
        {
            var settings = SettingsOf(group.Key);
            var selectors = settings?.Selectors ?? [];
            var signing = selectors.Count == 0
                ? group.OrderBy(k => k.Selector, StringComparer.Ordinal).ToList()
                : group.Where(k => selectors.Contains(k.Selector, StringComparer.OrdinalIgnoreCase)).ToList();
            foreach (var missing in selectors.Where(s => !group.Any(k => k.Selector.Equals(s, StringComparison.OrdinalIgnoreCase))))
            {
                errors.Add($"Relay:Dkim:Domains:{group.Key}:Selectors names {missing}, but {KeyFolder.PemPath(KeysPath, group.Key, missing)} does not exist");
            }

            if (signing.Count > 0)
            {
                domains[group.Key] = new SigningDomain(group.Key, signing, settings?.ExtraHeaders ?? []);
            }
        }

        return (domains, errors);
    }
}
