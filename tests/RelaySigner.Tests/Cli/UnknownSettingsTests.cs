using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RelaySigner.Configuration;

namespace RelaySigner.Tests.Cli;

/// <summary>Keys under Relay: that no option binds are found, wherever they sit, with the nearest valid key.</summary>
public sealed class UnknownSettingsTests
{
    [Theory]
    [InlineData("Relay:Smtp:Prot", "Relay:Smtp:Prot is not a setting; did you mean Relay:Smtp:Port?")]
    [InlineData("Relay:Smtpp:Port", "Relay:Smtpp is not a setting; did you mean Relay:Smtp?")]
    [InlineData("Relay:Smtp:Users:0:Nme", "Relay:Smtp:Users:0:Nme is not a setting; did you mean Relay:Smtp:Users:0:Name?")]
    [InlineData("Relay:Smtp:Tls:CertificatPath", "Relay:Smtp:Tls:CertificatPath is not a setting; did you mean Relay:Smtp:Tls:CertificatePath?")]
    [InlineData("Relay:Dkim:Domains:example.com:Selector", "Relay:Dkim:Domains:example.com:Selector is not a setting; did you mean Relay:Dkim:Domains:example.com:Selectors?")]
    [InlineData("Relay:Smtp:Port:0", "Relay:Smtp:Port:0 is not a setting: Relay:Smtp:Port takes a single value")]
    [InlineData("Relay:Smtp:AllowedNetworks", "Relay:Smtp:AllowedNetworks is a list: give its entries as Relay:Smtp:AllowedNetworks:0, Relay:Smtp:AllowedNetworks:1, … (Relay__…__0 in the environment)")]
    public void An_unknown_key_is_reported_with_the_nearest_valid_one(string key, string problem)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, "1")]).Build();

        Assert.Equal([problem], UnknownSettings.Find(configuration));
    }

    [Fact]
    public void Keys_the_options_bind_are_not_reported()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Relay:Smtp:Port"] = "2525",
            ["relay:smtp:allowednetworks:0"] = "10.0.0.0/8",
            ["Relay:Smtp:Users:0:Name"] = "app",
            ["Relay:Smtp:Users:0:AllowedFromDomains:0"] = "example.com",
            ["Relay:Smtp:Clients:1:Networks:0"] = "10.0.0.0/8",
            ["Relay:Dkim:Domains:example.com:Selectors:0"] = "s1",
            ["Relay:Dkim:Domains:example.com:SignatureLifetime"] = "7.00:00:00",
            ["Relay:Delivery:RetrySchedule:0"] = "00:00:01",
            ["Relay:Delivery:RequireTlsDomains:0"] = "example.org",
            ["Relay:Admin:Urls"] = "",
            ["Relay:Shutdown:Timeout"] = "00:00:05",
            ["Relay:Queue:Path"] = "data",
            ["Logging:Anything:Goes"] = "here",
        }).Build();

        Assert.Empty(UnknownSettings.Find(configuration));
    }

    [Fact]
    public void Every_options_class_the_relay_binds_is_in_the_schema()
    {
        var services = RelayHost.CreateBuilder([]).Services;

        var bound = services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(d => d.ServiceType.GenericTypeArguments[0])
            .Where(t => t.Namespace?.StartsWith("RelaySigner", StringComparison.Ordinal) == true)
            .ToHashSet();

        Assert.NotEmpty(bound);
        Assert.Subset(RelaySettingsSchema.Sections.Values.ToHashSet(), bound);
    }
}
