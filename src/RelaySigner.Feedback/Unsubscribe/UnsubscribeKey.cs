using RelaySigner.Feedback.Tokens;

namespace RelaySigner.Feedback.Unsubscribe;

/// <summary>The key of unsubscribe tokens: 32 random bytes in a file of their own (<see cref="SecretKeyFile"/>),
/// shared by every node. Replacing it makes every unsubscribe link of mail already sent fail (404).</summary>
public sealed class UnsubscribeKey
{
    public const int Length = 32;

    private UnsubscribeKey(byte[] bytes) => Bytes = bytes;

    internal byte[] Bytes { get; }

    public static UnsubscribeKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == Length ? new UnsubscribeKey(key.ToArray()) : throw new ArgumentException($"An unsubscribe key is {Length} bytes.", nameof(key));

    /// <summary>Reads the key file, creating it (mode 0600) first when it does not exist.</summary>
    /// <exception cref="InvalidOperationException">The file exists but is not a key of the right length.</exception>
    public static UnsubscribeKey LoadOrCreate(string path) => new(SecretKeyFile.LoadOrCreate(path, Length, "an unsubscribe key"));
}
