using Microsoft.Extensions.Options;
using RelaySigner.Signing;
using RelaySigner.Signing.Alignment;

namespace RelaySigner.Tests.Signing;

public sealed class ReturnPathDomainsTests
{
    [Theory]
    [InlineData("example.com", "bounces.example.com", true)]
    [InlineData("example.com", "example.com", true)]
    [InlineData("news.example.com", "bounces.example.com", true)]
    [InlineData("example.co.uk", "b.example.co.uk", true)]
    [InlineData("example.com", "bounces.example.net", false)]
    [InlineData("example.com", "example.com.evil.test", false)]
    [InlineData("example.co.uk", "co.uk", false)]
    [InlineData("example.com", "not a domain", false)]
    [InlineData("example.com", "-bad.example.com", false)]
    public void The_validator_takes_only_a_return_path_domain_at_or_below_the_organisational_domain(string domain, string returnPath, bool valid)
    {
        var options = new DkimOptions { Domains = { [domain] = new DkimDomainOptions { ReturnPathDomain = returnPath } } };

        var result = new DkimOptionsValidator().Validate(Options.DefaultName, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains($"Relay:Dkim:Domains:{domain}:ReturnPathDomain", result.FailureMessage);
        }
    }

    [Theory]
    [InlineData("example.com", "bounces.example.com")]
    [InlineData("News.Example.COM.", "news-bounces.example.com")]
    [InlineData("deep.news.example.com", "news-bounces.example.com")]
    [InlineData("shop.example.com", "bounces.example.com")]
    [InlineData("example.org", null)]
    [InlineData("com", null)]
    public void A_from_domain_takes_its_own_return_path_domain_else_its_nearest_parent_s(string fromDomain, string? expected)
    {
        var options = new DkimOptions
        {
            Domains =
            {
                ["example.com"] = new DkimDomainOptions { ReturnPathDomain = "bounces.example.com" },
                ["news.example.com"] = new DkimDomainOptions { ReturnPathDomain = "News-Bounces.example.com" },
                ["example.org"] = new DkimDomainOptions(),
            },
        };

        var domains = new ReturnPathDomains(Options.Create(options), PublicSuffixList.Shipped);

        Assert.Equal(expected, domains.For(fromDomain));
        Assert.Equal(["bounces.example.com", "news-bounces.example.com"], domains.All);
        Assert.True(domains.Any);
    }

    [Fact]
    public void Without_any_return_path_domain_nothing_is_rewritten()
    {
        var domains = new ReturnPathDomains(Options.Create(new DkimOptions()), PublicSuffixList.Shipped);

        Assert.False(domains.Any);
        Assert.Null(domains.For("example.com"));
    }
}
