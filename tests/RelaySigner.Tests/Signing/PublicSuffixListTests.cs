using RelaySigner.Signing.Alignment;

namespace RelaySigner.Tests.Signing;

public sealed class PublicSuffixListTests
{
    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("news.example.com", "example.com")]
    [InlineData("a.b.c.example.com", "example.com")]
    [InlineData("example.co.uk", "example.co.uk")]
    [InlineData("mail.example.co.uk", "example.co.uk")]
    [InlineData("user.github.io", "user.github.io")]
    [InlineData("a.user.github.io", "user.github.io")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("a.b.ck", "a.b.ck")]
    [InlineData("city.kawasaki.jp", "city.kawasaki.jp")] // "!city.kawasaki.jp" beats "*.kawasaki.jp"
    [InlineData("shop.example.unlisted-tld", "example.unlisted-tld")] // the implicit "*" rule
    [InlineData("xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")] // rules in Unicode match A-labels (公司.cn)
    public void The_organisational_domain_is_the_public_suffix_plus_one_label(string domain, string expected)
    {
        Assert.Equal(expected, PublicSuffixList.Shipped.OrganizationalDomain(domain));
    }

    [Theory]
    [InlineData("com")]
    [InlineData("co.uk")]
    [InlineData("github.io")]
    [InlineData("b.ck")]
    public void A_public_suffix_has_no_organisational_domain(string domain)
    {
        Assert.Null(PublicSuffixList.Shipped.OrganizationalDomain(domain));
    }
}
