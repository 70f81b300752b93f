using System.Net;
using Microsoft.Extensions.Options;
using RelaySigner.Intake;
using RelaySigner.Intake.Auth;
using RelaySigner.Intake.Policy;

namespace RelaySigner.Tests.Intake;

public sealed class RelayAccessPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.0.2.10", false)]
    [InlineData("2001:db8::1", false)]
    public void By_default_only_loopback_may_relay_unauthenticated(string client, bool allowed)
    {
        var policy = Policy(new SmtpOptions());
        var address = IPAddress.Parse(client);
        Assert.Equal(allowed, policy.MayRelay(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, authenticated: false));
    }

    [Fact]
    public void Configured_networks_replace_the_default_and_authenticated_clients_may_always_relay()
    {
        var policy = Policy(new SmtpOptions { AllowedNetworks = ["192.0.2.0/24"] });

        Assert.True(policy.MayRelay(IPAddress.Parse("192.0.2.77"), authenticated: false));
        Assert.False(policy.MayRelay(IPAddress.Loopback, authenticated: false));
        Assert.True(policy.MayRelay(IPAddress.Loopback, authenticated: true));
        Assert.False(policy.MayRelay(null, authenticated: false));
    }

    [Fact]
    public void A_client_entry_or_a_user_marked_bulk_makes_its_mail_bulk_and_nothing_else_does()
    {
        var policy = Policy(new SmtpOptions
        {
            AllowedNetworks = ["10.0.0.0/8"],
            Clients = [new ClientNetworkOptions { Networks = ["10.9.0.0/16"], AllowedFromDomains = ["news.example"], Bulk = true }],
            Users =
            [
                new SmtpUserOptions { Name = "campaigns", AllowedFromDomains = ["news.example"], Bulk = true },
                new SmtpUserOptions { Name = "app", AllowedFromDomains = ["*"] },
            ],
        });

        var client = policy.IdentityOf(IPAddress.Parse("10.9.1.1"), null);
        var user = policy.IdentityOf(IPAddress.Parse("10.1.1.1"), "campaigns");
        Assert.True(client.Bulk);
        Assert.Equal(["news.example"], client.AllowedFromDomains!);
        Assert.True(user.Bulk);
        Assert.Equal(["news.example"], user.AllowedFromDomains!);
        Assert.False(policy.IdentityOf(IPAddress.Parse("10.1.1.1"), null).Bulk);
        Assert.False(policy.IdentityOf(IPAddress.Parse("10.9.1.1"), "app").Bulk); // the user decides, wherever it connects from
        Assert.False(policy.IdentityOf(IPAddress.Parse("10.9.1.1"), "nobody").Bulk);
    }

    [Fact]
    public void A_client_network_entry_may_relay_as_its_own_domains_and_the_most_specific_network_decides()
    {
        var policy = Policy(new SmtpOptions
        {
            AllowedNetworks = ["10.0.0.0/8"],
            Clients =
            [
                new ClientNetworkOptions { Networks = ["10.1.0.0/16", "198.51.100.0/24"], AllowedFromDomains = ["Tenant-A.example", ".a.example"] },
                new ClientNetworkOptions { Networks = ["10.0.0.0/8"], AllowedFromDomains = ["b.example"] },
                new ClientNetworkOptions { Networks = ["10.2.0.0/16"], AllowedFromDomains = ["*"] },
            ],
        });

        Assert.True(policy.MayRelay(IPAddress.Parse("198.51.100.9"), authenticated: false));
        Assert.Equal(["tenant-a.example", "a.example"], policy.AllowedFromDomains(IPAddress.Parse("198.51.100.9"), null));
        Assert.Equal(["tenant-a.example", "a.example"], policy.AllowedFromDomains(IPAddress.Parse("10.1.2.3"), null));
        // Same prefix as AllowedNetworks: the entry that names domains wins.
        Assert.Equal(["b.example"], policy.AllowedFromDomains(IPAddress.Parse("10.9.9.9"), null));
        Assert.Null(policy.AllowedFromDomains(IPAddress.Parse("10.2.0.1"), null));
        Assert.Empty(policy.AllowedFromDomains(IPAddress.Parse("192.0.2.1"), null)!);
    }

    [Fact]
    public void An_authenticated_user_gets_its_own_domains_wherever_it_connects_from()
    {
        var policy = Policy(new SmtpOptions
        {
            Users =
            [
                new SmtpUserOptions { Name = "app", PasswordHash = PasswordHash.Create("pw", 1000), AllowedFromDomains = ["app.example"] },
                new SmtpUserOptions { Name = "ops", PasswordHash = PasswordHash.Create("pw", 1000), AllowedFromDomains = ["*"] },
            ],
        });

        Assert.Equal(["app.example"], policy.AllowedFromDomains(IPAddress.Loopback, "app"));
        Assert.Null(policy.AllowedFromDomains(IPAddress.Parse("192.0.2.1"), "ops"));
        Assert.Empty(policy.AllowedFromDomains(IPAddress.Loopback, "removed-user")!);
    }

    [Theory]
    [InlineData("app", "app@app.example", true)]
    [InlineData("app", "bounces@News.App.Example", true)]
    [InlineData("app", "", true)]
    [InlineData("app", "ceo@victim.org", false)]
    [InlineData("app", "x@notapp.example", false)]
    [InlineData("app", "x@[192.0.2.1]", false)]
    [InlineData("ops", "ceo@victim.org", true)]
    [InlineData(null, "ceo@victim.org", true)]
    [InlineData(null, "", true)]
    public void The_envelope_sender_is_limited_to_the_domains_a_client_may_use_in_from(string? user, string sender, bool allowed)
    {
        var policy = Policy(new SmtpOptions
        {
            Users =
            [
                new SmtpUserOptions { Name = "app", PasswordHash = PasswordHash.Create("pw", 1000), AllowedFromDomains = ["app.example"] },
                new SmtpUserOptions { Name = "ops", PasswordHash = PasswordHash.Create("pw", 1000), AllowedFromDomains = ["*"] },
            ],
        });

        // Loopback unauthenticated is in the default AllowedNetworks, which names no domains: any sender, as before.
        Assert.Equal(allowed, policy.MayUseEnvelopeSender(IPAddress.Loopback, user, sender));
    }

    [Fact]
    public void A_limited_client_network_may_use_only_its_domains_or_the_null_sender_in_mail_from()
    {
        var policy = Policy(new SmtpOptions
        {
            Clients = [new ClientNetworkOptions { Networks = ["198.51.100.0/24"], AllowedFromDomains = ["bücher.example"] }],
        });
        var client = IPAddress.Parse("198.51.100.9");

        Assert.True(policy.MayUseEnvelopeSender(client, null, "bounces@xn--bcher-kva.example"));
        Assert.False(policy.MayUseEnvelopeSender(client, null, "ceo@victim.org"));
        Assert.True(policy.MayUseEnvelopeSender(client, null, ""));
    }

    private static RelayAccessPolicy Policy(SmtpOptions options) =>
        new(Options.Create(options), new UserDirectory(Options.Create(options)));
}
