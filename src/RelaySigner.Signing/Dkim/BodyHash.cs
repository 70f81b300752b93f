using System.Buffers;
using System.Security.Cryptography;
using MimeKit.Cryptography;

namespace RelaySigner.Signing.Dkim;

/// <summary>
/// The bh= value: SHA-256 of the canonicalized body (RFC 6376 §3.4.3 simple, §3.4.4 relaxed), computed over the
/// received bytes in place. Unchanged stretches of lines are hashed as they lie, so a typical body costs one pass
/// of the platform's SHA-256; only lines that relaxed canonicalization changes are rewritten, one at a time.
/// </summary>
public static class BodyHash
{
    public static byte[] Compute(ReadOnlySpan<byte> body, DkimCanonicalizationAlgorithm algorithm)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (algorithm == DkimCanonicalizationAlgorithm.Simple)
        {
            AppendSimple(hash, body);
        }
        else
        {
            AppendRelaxed(hash, body);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>The body as is, with trailing empty lines removed; an empty body is one CRLF, and a missing final CRLF is added.</summary>
    private static void AppendSimple(IncrementalHash hash, ReadOnlySpan<byte> body)
    {
        while (body.EndsWith("\r\n\r\n"u8))
        {
            body = body[..^2];
        }

        hash.AppendData(body);
        if (!body.EndsWith("\r\n"u8))
        {
            hash.AppendData("\r\n"u8);
        }
    }

    /// <summary>White space at line ends removed, other runs made one space, trailing empty lines removed, a missing final CRLF added.</summary>
    private static void AppendRelaxed(IncrementalHash hash, ReadOnlySpan<byte> body)
    {
        var runStart = 0;      // start of the bytes already canonical but not yet hashed
        var emptyLines = 0;    // empty lines held back: they count only if a non-empty line follows
        var position = 0;
        while (position < body.Length)
        {
            var length = body[position..].IndexOf("\r\n"u8);
            var lineEnd = length < 0 ? body.Length : position + length;
            var next = length < 0 ? body.Length : lineEnd + 2;
            var line = body[position..lineEnd];
            var canonical = IsCanonical(line);
            if (line.IsEmpty || (!canonical && line.TrimStart(" \t"u8).IsEmpty))
            {
                hash.AppendData(body[runStart..position]);
                emptyLines++;
                runStart = next;
            }
            else
            {
                for (; emptyLines > 0; emptyLines--)
                {
                    hash.AppendData("\r\n"u8);
                }

                if (!canonical || length < 0)
                {
                    hash.AppendData(body[runStart..position]);
                    AppendCanonicalLine(hash, line);
                    runStart = next;
                }
            }

            position = next;
        }

        hash.AppendData(body[runStart..]);
    }

    private static bool IsCanonical(ReadOnlySpan<byte> line) =>
        line.IndexOf((byte)'\t') < 0 && line.IndexOf("  "u8) < 0 && (line.IsEmpty || line[^1] != (byte)' ');

    private static void AppendCanonicalLine(IncrementalHash hash, ReadOnlySpan<byte> line)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(line.Length + 2);
        try
        {
            var length = 0;
            var pendingSpace = false;
            foreach (var b in line)
            {
                if (b is (byte)' ' or (byte)'\t')
                {
                    pendingSpace = true;
                    continue;
                }

                if (pendingSpace)
                {
                    buffer[length++] = (byte)' ';
                    pendingSpace = false;
                }

                buffer[length++] = b;
            }

            buffer[length++] = (byte)'\r';
            buffer[length++] = (byte)'\n';
            hash.AppendData(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
