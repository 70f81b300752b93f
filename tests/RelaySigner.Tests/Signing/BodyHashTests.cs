using System.Security.Cryptography;
using System.Text;
using MimeKit.Cryptography;
using RelaySigner.Signing.Dkim;

namespace RelaySigner.Tests.Signing;

public sealed class BodyHashTests
{
    [Theory]
    // RFC 6376 §3.4.5's example body.
    [InlineData(" C \r\nD \t E\r\n\r\n\r\n", " C\r\nD E\r\n", " C \r\nD \t E\r\n")]
    // Empty body: relaxed hashes nothing, simple one CRLF (the well-known bh= values of an empty body).
    [InlineData("", "", "\r\n")]
    [InlineData("\r\n\r\n", "", "\r\n")]
    // A missing final CRLF is added.
    [InlineData("last line", "last line\r\n", "last line\r\n")]
    // Lines of white space only are empty lines: kept in the middle, dropped at the end.
    [InlineData("a\r\n \t\r\nb\r\n \r\n\t\r\n", "a\r\n\r\nb\r\n", "a\r\n \t\r\nb\r\n \r\n\t\r\n")]
    // Unchanged lines around changed ones, leading white space kept as one space.
    [InlineData("one\r\n\t two  three \r\nfour\r\n", "one\r\n two three\r\nfour\r\n", "one\r\n\t two  three \r\nfour\r\n")]
    public void Bodies_are_canonicalized_as_rfc_6376_says(string body, string relaxed, string simple)
    {
        var bytes = Encoding.ASCII.GetBytes(body);

        Assert.Equal(Sha256(relaxed), BodyHash.Compute(bytes, DkimCanonicalizationAlgorithm.Relaxed));
        Assert.Equal(Sha256(simple), BodyHash.Compute(bytes, DkimCanonicalizationAlgorithm.Simple));
    }

    [Fact]
    public void The_empty_body_hashes_to_the_values_every_verifier_knows()
    {
        Assert.Equal("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", Convert.ToBase64String(BodyHash.Compute([], DkimCanonicalizationAlgorithm.Relaxed)));
        Assert.Equal("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=", Convert.ToBase64String(BodyHash.Compute([], DkimCanonicalizationAlgorithm.Simple)));
    }

    private static byte[] Sha256(string canonical) => SHA256.HashData(Encoding.ASCII.GetBytes(canonical));
}
