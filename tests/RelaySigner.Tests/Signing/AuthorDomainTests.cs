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
    [InlineData("From: Bücher <info@xn--bcher-kva.example>\r\n")]
    [InlineData("From: Bücher <info@bücher.example>\r\n")]
    [InlineData("From: info@BÜCHER.example\r\n")]
    public void An_internationalised_from_domain_gives_its_ascii_form(string headers)
    {
        var (domain, refusal) = AuthorDomain.Find(Parse(headers));
        Assert.Null(refusal);
        Assert.Equal("xn--bcher-kva.example", domain);
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

    /// <summary>Forms every parser reads as the same mailbox stay accepted.</summary>
    [Theory]
    [InlineData("From: app@example.com\r\n")]
    [InlineData("From: <app@example.com>\r\n")]
    [InlineData("From: Ann Example <app@example.com>\r\n")]
    [InlineData("From: \"ceo@victim.org\" <app@example.com>\r\n")]
    [InlineData("From: \"Example, Ann \\\"the boss\\\"\" <app@example.com>\r\n")]
    [InlineData("From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <app@example.com>\r\n")]
    [InlineData("From: =?utf-8?q?M=C3=BCller=2C_J=C3=B6rg?= <app@example.com>\r\n")]
    [InlineData("From: J. R. Example <app@example.com>\r\n")]
    [InlineData("From: =?iso-8859-1?q?J=F6rg?= <app@example.com>\r\n")]
    [InlineData("From: \"Ann <ann@victim.org>\" <app@example.com>\r\n")]
    [InlineData("From: Jörg Müller <jörg@example.com>\r\n")]
    [InlineData("From: Long Header Sender\r\n <app@example.com>\r\n")]
    [InlineData("From: app@example.com (Ann Example)\r\n")]
    [InlineData("From: \"app\"@example.com\r\n")]
    [InlineData("From:app@example.com\r\n")]
    [InlineData("From: app@example.com <app@example.com>\r\n")]
    [InlineData("From: APP@Example.com <app@example.com>\r\n")]
    public void Legitimate_from_forms_give_their_domain(string headers)
    {
        var (domain, refusal) = AuthorDomain.Find(Parse(headers));
        Assert.Null(refusal);
        Assert.Equal("example.com", domain);
    }

    /// <summary>Forms MimeKit reads as example.com but another parser (Python's email package, a mail reader) may not.</summary>
    [Theory]
    [InlineData("From: ceo@victim.org <alice@example.com>\r\n", "an @ outside quotes")]
    [InlineData("From: alice@example.com.victim.org <alice@example.com>\r\n", "an @ outside quotes")]
    [InlineData("From: alice@example.com Ceo <alice@example.com>\r\n", "an @ outside quotes")]
    [InlineData("From: <alice@example.com>@victim.org\r\n", "text after the address")]
    [InlineData("From: Alice <alice@example.com> <ceo@victim.org>\r\n", "text after the address")]
    [InlineData("From: Alice <alice@example.com>\\ <ceo@victim.org>\r\n", "text after the address")]
    [InlineData("From: <@victim.org:alice@example.com>\r\n", "source route")]
    [InlineData("From: alice@example.com (ceo@victim.org)\r\n", "comment")]
    [InlineData("From: (ceo@victim.org) alice@example.com\r\n", "comment")]
    [InlineData("From: Alice ((nested) x) <alice@example.com>\r\n", "comment")]
    [InlineData("From: =?utf-8?q?ceo=40victim.org?= <alice@example.com>\r\n", "encoded word")]
    [InlineData("From: =?utf-8?b?Y2VvQHZpY3RpbS5vcmcgPGNlb0B2aWN0aW0ub3JnPg==?= <alice@example.com>\r\n", "encoded word")]
    [InlineData("From: =?utf-8?q?Alice=0D=0ABcc=3A_x?= <alice@example.com>\r\n", "encoded word")]
    [InlineData("From: =?utf-8?q?alice?=@example.com\r\n", "encoded word in the address")]
    [InlineData("From: alice@=?utf-8?q?victim.org?=\r\n", "encoded word in the address")]
    [InlineData("From: \"=?utf-8?q?ceo=40victim.org?=\" <alice@example.com>\r\n", "encoded word")]
    [InlineData("From: =?utf-8?q?ceo?= =?utf-8?q?=40victim.org?= <alice@example.com>\r\n", "encoded word")]
    [InlineData("From: =?utf-7?q?ceo+AEA-victim.org?= <alice@example.com>\r\n", "encoded word")]
    [InlineData("From: \"ceo@victim.org\"@example.com\r\n", "quoted local part")]
    [InlineData("From: alice@victim.org@example.com\r\n", "an @ outside quotes")]
    [InlineData("From: alice @ example.com\r\n", "an @ outside quotes")]
    [InlineData("From: alice@example.com\\@victim.org\r\n", "ambiguous")]
    [InlineData("From: Alice < alice@example.com>\r\n", "inside the angle brackets")]
    [InlineData("From: Alice <alice(x)@example.com>\r\n", "ambiguous")]
    [InlineData("From: Al\\ice <alice@example.com>\r\n", "must be quoted")]
    public void From_forms_that_parsers_read_differently_are_refused(string headers, string reason)
    {
        var (domain, refusal) = AuthorDomain.Find(Parse(headers));
        Assert.Null(domain);
        Assert.NotNull(refusal);
        Assert.Equal("550 5.6.0", $"{refusal.Code} {refusal.EnhancedCode}");
        Assert.Contains(reason, refusal.Text);
        Assert.DoesNotContain("victim", refusal.Text); // the reply names the construct, never the header's text
    }

    /// <summary>RFC 6532 allows UTF-8 only; readers would show Latin-1 (or anything else) each their own way.</summary>
    [Fact]
    public void A_from_with_bytes_that_are_not_utf8_is_refused()
    {
        var message = MimeMessage.Load(new MemoryStream(Encoding.Latin1.GetBytes("From: J\u00f6rg <alice@example.com>\r\n\r\nbody\r\n")));

        var (_, refusal) = AuthorDomain.Find(message);

        Assert.NotNull(refusal);
        Assert.Contains("bytes that are not UTF-8", refusal.Text);
    }

    [Theory]
    [InlineData("From: Alice <alice@example.com>,\r\n", "exactly one mailbox")]
    [InlineData("From: group: alice@example.com;\r\n", "exactly one mailbox")]
    [InlineData("From: Alice <alice@example.com\r\n", "no valid address")]
    [InlineData("From: Alice <alice@example.com.>\r\n", "no valid address")]
    [InlineData("From: alice@[192.0.2.1]\r\n", "no valid address")]
    [InlineData("From: <>\r\n", "no valid address")]
    public void Lists_groups_and_broken_addresses_are_refused(string headers, string reason)
    {
        var (_, refusal) = AuthorDomain.Find(Parse(headers));
        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal.Text);
    }
}
