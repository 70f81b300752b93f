using RelaySigner.Signing.Alignment;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Signing;

public sealed class AlignedKeyResolverTests : IDisposable
{
    private readonly TempFolder _keys = new();
    private readonly AlignedKeyResolver _resolver;

    public AlignedKeyResolverTests()
    {
        TestKeys.WriteRsa(_keys.Path, "example.com", "s1");
        TestKeys.WriteRsa(_keys.Path, "mail.example.net", "s1");
        _resolver = new AlignedKeyResolver(TestKeys.OpenStore(_keys.Path));
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("News.Example.com", "example.com")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("mail.example.net", "mail.example.net")]
    [InlineData("x.mail.example.net", "mail.example.net")]
    public void Signs_with_the_from_domain_or_its_nearest_parent_with_a_key(string fromDomain, string expected)
    {
        Assert.Equal(expected, _resolver.Resolve(fromDomain)?.Domain);
    }

    [Theory]
    [InlineData("example.org")]
    [InlineData("example.net")] // a parent of a keyed domain is not covered by the child's key
    [InlineData("notexample.com")]
    [InlineData("com")]
    public void No_aligned_key_means_no_signing_domain(string fromDomain)
    {
        Assert.Null(_resolver.Resolve(fromDomain));
    }

    public void Dispose() => _keys.Dispose();
}
