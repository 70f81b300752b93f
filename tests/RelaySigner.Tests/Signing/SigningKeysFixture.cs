using RelaySigner.Testing;

namespace RelaySigner.Tests.Signing;

/// <summary>
/// One key folder shared by a test class (RSA key generation is the slow part): example.com with an RSA and an
/// Ed25519 key, example.net with an RSA key, and their DNS records beside them.
/// </summary>
public sealed class SigningKeysFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public SigningKeysFixture()
    {
        TestKeys.WriteRsa(_folder.Path, "example.com", "rsa2026");
        TestKeys.WriteEd25519(_folder.Path, "example.com", "ed2026");
        TestKeys.WriteRsa(_folder.Path, "example.net", "s1");
    }

    public string Path => _folder.Path;

    public void Dispose() => _folder.Dispose();
}
