using System.Buffers;
using System.Security.Cryptography;
using MimeKit.Cryptography;

namespace RelaySigner.Signing.Dkim;

/// <summary>Header canonicalization (RFC 6376 §3.4.1 simple, §3.4.2 relaxed) of one field, fed straight into the signature hash.</summary>
public static class HeaderCanonicalization
{
    /// <param name="field">The whole field as written ("Name: value", folded lines, with or without its final CRLF).</param>
    /// <param name="finalCrlf">false only for the DKIM-Signature field being made, which is hashed without one (§3.7).</param>
    public static void Append(IncrementalHash hash, ReadOnlySpan<byte> field, DkimCanonicalizationAlgorithm algorithm, bool finalCrlf)
    {
        if (field.EndsWith("\r\n"u8))
        {
            field = field[..^2];
        }

        if (algorithm == DkimCanonicalizationAlgorithm.Simple)
        {
            hash.AppendData(field);
        }
        else
        {
            AppendRelaxed(hash, field);
        }

        if (finalCrlf)
        {
            hash.AppendData("\r\n"u8);
        }
    }

    /// <summary>Lower-case name, no white space around the colon, value unfolded with white space runs made one space and none at the end.</summary>
    private static void AppendRelaxed(IncrementalHash hash, ReadOnlySpan<byte> field)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(field.Length);
        try
        {
            var colon = field.IndexOf((byte)':');
            var name = field[..colon].TrimEnd(" \t"u8);
            var length = 0;
            foreach (var b in name)
            {
                buffer[length++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
            }

            buffer[length++] = (byte)':';
            var valueStart = length;
            var pendingSpace = false;
            foreach (var b in field[(colon + 1)..])
            {
                if (b is (byte)'\r' or (byte)'\n')
                {
                    continue; // unfolding: only CRLF before white space can occur inside a field
                }

                if (b is (byte)' ' or (byte)'\t')
                {
                    pendingSpace = length > valueStart;
                    continue;
                }

                if (pendingSpace)
                {
                    buffer[length++] = (byte)' ';
                    pendingSpace = false;
                }

                buffer[length++] = b;
            }

            hash.AppendData(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
