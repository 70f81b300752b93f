using RelaySigner.Signing;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Keys;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Signing;

/// <summary>The alignment table: which d= signs for which From domain.</summary>
public sealed class AlignedKeyResolverTests : IDisposable
{
    private readonly TempFolder _keys = new();
    private readonly DkimKeyStore _store;
    private readonly AlignedKeyResolver _resolver;

    public AlignedKeyResolverTests()
    {
        const string pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n";
        foreach (var domain in new[] { "example.com", "mail.example.net", "co.uk", "example.co.uk", "github.io", "www.ck", "ck" })
        {
            TestKeys.Write(_keys.Path, domain, "s1", pem);
        }

        _store = TestKeys.OpenStore(_keys.Path, new DkimOptions
        {
            Domains = { ["example.org"] = new DkimDomainOptions { RelayUnsigned = true }, ["org"] = new DkimDomainOptions { RelayUnsigned = true } },
        });
        _resolver = new AlignedKeyResolver(_store, PublicSuffixList.Shipped);
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("news.example.com", "example.com")]
    [InlineData("News.Example.COM.", "example.com")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("mail.example.net", "mail.example.net")]
    [InlineData("x.mail.example.net", "mail.example.net")]
    [InlineData("example.co.uk", "example.co.uk")]
    [InlineData("shop.example.co.uk", "example.co.uk")]
    [InlineData("www.ck", "www.ck")] // "!www.ck": an exception to "*.ck", so www.ck is an organisational domain
    public void Signs_with_the_from_domain_or_its_nearest_parent_with_a_key(string fromDomain, string expected)
    {
        Assert.Equal(expected, _resolver.Resolve(fromDomain)?.Domain);
    }

    [Theory]
    [InlineData("example.org")]
    [InlineData("example.net")] // a parent of a keyed domain is not covered by the child's key
    [InlineData("notexample.com")]
    [InlineData("other.co.uk")] // never falls back to the public suffix co.uk, though it has a key
    [InlineData("co.uk")]
    [InlineData("someone.github.io")] // private section of the list: github.io is a public suffix
    [InlineData("shop.other.ck")] // "*.ck": other.ck is a public suffix, shop.other.ck the organisation
    [InlineData("com")]
    public void No_aligned_key_means_no_signing_domain(string fromDomain)
    {
        Assert.Null(_resolver.Resolve(fromDomain));
    }

    [Theory]
    [InlineData("example.org", true)]
    [InlineData("news.example.org", true)]
    [InlineData("other.org", false)] // a setting on the public suffix "org" reaches no one
    [InlineData("example.com", false)]
    public void Relaying_unsigned_is_a_per_domain_opt_in_within_the_organisational_domain(string fromDomain, bool expected)
    {
        Assert.Equal(expected, _resolver.MayRelayUnsigned(fromDomain));
    }

    public void Dispose()
    {
        _store.Dispose();
        _keys.Dispose();
    }
}
