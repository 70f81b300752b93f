using System.Text;
using MimeKit;
using RelaySigner.Signing.Alignment;

namespace RelaySigner.Tests.Signing;

public sealed class AuthorDomainTests
{
    private static MimeMessage Parse(string headers) =>
        MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(headers + "\r\nbody\r\n")));

    [Fact]
    public void The_single_from_mailbox_gives_the_domain_in_lower_case()
    {
        var (domain, refusal) = AuthorDomain.Find(Parse("From: Ann <ann@News.Example.COM>\r\nTo: b@example.org\r\n"));
        Assert.Null(refusal);
        Assert.Equal("news.example.com", domain);
    }

    [Theory]
    [InlineData("To: b@example.org\r\n", "no From header")]
    [InlineData("From: a@example.com\r\nFrom: a@evil.example\r\n", "more than one From header")]
    [InlineData("From: a@example.com, b@example.net\r\n", "exactly one mailbox")]
    [InlineData("From: undisclosed:;\r\n", "exactly one mailbox")]
    [InlineData("From: not an address\r\n", "no valid address")]
    public void Refuses_what_dmarc_cannot_align_with_a_5xx(string headers, string reason)
    {
        var (domain, refusal) = AuthorDomain.Find(Parse(headers));
        Assert.Null(domain);
        Assert.NotNull(refusal);
        Assert.Equal(550, refusal.Code);
        Assert.StartsWith("5.", refusal.EnhancedCode);
        Assert.Contains(reason, refusal.Text);
    }
}
