using System.Text;
using MimeKit;
using MimeKit.Cryptography;

namespace RelaySigner.Tools;

/// <summary>Verifies every DKIM-Signature of a received message with MimeKit's verifier.</summary>
public sealed class DkimCheck(IDkimPublicKeyLocator locator)
{
    public IReadOnlyList<string> Verify(byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        var message = MimeMessage.Load(stream);
        var verifier = new DkimVerifier(locator);
        var results = new List<string>();
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            var tags = Encoding.ASCII.GetString(header.RawValue);
            bool passed;
            try
            {
                passed = verifier.Verify(message, header);
            }
            catch (Exception ex) when (ex is FormatException or FileNotFoundException or NotSupportedException)
            {
                passed = false;
            }

            results.Add($"dkim={(passed ? "pass" : "fail")} {Tag(tags, "d")} {Tag(tags, "s")} {Tag(tags, "a")}");
        }

        return results;
    }

    private static string Tag(string tags, string name)
    {
        foreach (var part in tags.Split(';'))
        {
            var trimmed = part.Trim();
            if (trimmed.StartsWith(name + "=", StringComparison.Ordinal))
            {
                return trimmed;
            }
        }

        return name + "=?";
    }
}
