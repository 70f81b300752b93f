using System.Text;
using MimeKit.Cryptography;
using RelaySigner.Signing.Dkim;
using RelaySigner.Signing.Headers;
using RelaySigner.Signing.Policy;

namespace RelaySigner.Tests.Signing;

public sealed class SignedHeadersTests
{
    [Fact]
    public void Header_fields_are_counted_by_name_case_insensitively_up_to_the_blank_line()
    {
        var message = Encoding.ASCII.GetBytes(
            "Received: a\r\n  folded: not a field\r\nFROM: a@example.com\r\nto: b@example.org\r\nTo: c@example.org\r\n" +
            "Subject : spaced name\r\n\r\nFrom: in the body\r\n");

        var counts = RawMessage.Split(message).FieldCounts();

        Assert.Equal(1, counts["from"]);
        Assert.Equal(2, counts["TO"]);
        Assert.Equal(1, counts["subject"]);
        Assert.Equal(1, counts["received"]);
        Assert.False(counts.ContainsKey("folded"));
    }

    [Fact]
    public void Present_headers_are_listed_once_more_than_they_occur_and_absent_ones_once()
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["From"] = 1, ["to"] = 2, ["X-Campaign"] = 1 };

        var names = SignedHeaders.For(counts, ["X-Campaign", "x-absent"]);

        Assert.Equal(2, names.Count(n => n == "from"));
        Assert.Equal(3, names.Count(n => n == "to"));
        Assert.Equal(1, names.Count(n => n == "feedback-id"));
        Assert.Equal(["x-campaign", "x-campaign", "x-absent"], names[^3..]);
        Assert.Equal("from", names[0]);
    }

    [Theory]
    [InlineData("relaxed/relaxed", DkimCanonicalizationAlgorithm.Relaxed, DkimCanonicalizationAlgorithm.Relaxed)]
    [InlineData("Simple/Relaxed", DkimCanonicalizationAlgorithm.Simple, DkimCanonicalizationAlgorithm.Relaxed)]
    [InlineData("relaxed", DkimCanonicalizationAlgorithm.Relaxed, DkimCanonicalizationAlgorithm.Simple)]
    [InlineData("simple/simple", DkimCanonicalizationAlgorithm.Simple, DkimCanonicalizationAlgorithm.Simple)]
    public void Canonicalization_reads_like_the_c_tag(string value, DkimCanonicalizationAlgorithm header, DkimCanonicalizationAlgorithm body)
    {
        Assert.Equal(new Canonicalization(header, body), Canonicalization.Parse(value));
    }

    [Theory]
    [InlineData("loose")]
    [InlineData("relaxed/relaxed/relaxed")]
    [InlineData("")]
    public void Anything_else_is_no_canonicalization(string value)
    {
        Assert.Null(Canonicalization.Parse(value));
    }
}
