namespace RelaySigner.Feedback.Tokens;

/// <summary>
/// The key that MACs VERP tokens: 32 random bytes in a file of their own (<see cref="SecretKeyFile"/>). A key that
/// changed under running nodes would make every bounce of mail already sent look forged.
/// </summary>
public sealed class BounceSecret
{
    public const int Length = 32;

    private BounceSecret(byte[] key) => Key = key;

    internal byte[] Key { get; }

    public static BounceSecret FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == Length ? new BounceSecret(key.ToArray()) : throw new ArgumentException($"A bounce secret is {Length} bytes.", nameof(key));

    /// <summary>Reads the key file, creating it (mode 0600) first when it does not exist.</summary>
    /// <exception cref="InvalidOperationException">The file exists but is not a key of the right length.</exception>
    public static BounceSecret LoadOrCreate(string path) => new(SecretKeyFile.LoadOrCreate(path, Length, "a bounce secret"));
}
