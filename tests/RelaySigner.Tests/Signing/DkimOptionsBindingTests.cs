using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RelaySigner.Signing;

namespace RelaySigner.Tests.Signing;

public sealed class DkimOptionsBindingTests
{
    [Fact]
    public void Per_domain_settings_bind_from_relay_dkim_domains_and_match_case_insensitively()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["Relay:Dkim:KeysPath"] = "keys",
            ["Relay:Dkim:Domains:Example.COM:Selectors:0"] = "rsa2026",
            ["Relay:Dkim:Domains:Example.COM:Selectors:1"] = "ed2026",
            ["Relay:Dkim:Domains:Example.COM:Canonicalization"] = "simple/relaxed",
            ["Relay:Dkim:Domains:Example.COM:ExtraHeaders:0"] = "X-Campaign-Id",
            ["Relay:Dkim:Domains:Example.COM:SignatureLifetime"] = "7.00:00:00",
            ["Relay:Dkim:Domains:example.org:RelayUnsigned"] = "true",
        }).Value;

        var example = options.Domains["example.com"];
        Assert.Equal(["rsa2026", "ed2026"], example.Selectors);
        Assert.Equal("simple/relaxed", example.Canonicalization);
        Assert.Equal(["X-Campaign-Id"], example.ExtraHeaders);
        Assert.Equal(TimeSpan.FromDays(7), example.SignatureLifetime);
        Assert.True(options.Domains["EXAMPLE.ORG"].RelayUnsigned);
    }

    [Fact]
    public void Invalid_settings_fail_validation_naming_the_key()
    {
        var options = Bind(new Dictionary<string, string?> { ["Relay:Dkim:Domains:example.com:Canonicalization"] = "strict" });

        var error = Assert.Throws<OptionsValidationException>(() => options.Value);

        Assert.Contains("Relay:Dkim:Domains:example.com:Canonicalization", error.Message);
    }

    private static IOptions<DkimOptions> Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddRelaySigning(configuration).BuildServiceProvider().GetRequiredService<IOptions<DkimOptions>>();
    }
}
