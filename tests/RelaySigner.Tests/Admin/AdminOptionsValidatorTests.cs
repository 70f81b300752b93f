using RelaySigner.Admin;
using RelaySigner.Dmarc;
using RelaySigner.Intake.Auth;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Admin;

public sealed class AdminOptionsValidatorTests
{
    private static readonly string Hash = PasswordHash.Create("pw", iterations: 1000);

    [Theory]
    [InlineData("http://0.0.0.0:8025", "0.0.0.0")]
    [InlineData("http://[::]:8025", "[::]")]
    [InlineData("http://127.0.0.1:8025;http://10.1.2.3:8025", "10.1.2.3")]
    [InlineData("https://admin.example.com:8443", "admin.example.com")]
    public void A_non_loopback_address_without_users_or_token_is_refused_with_the_fix(string urls, string host)
    {
        var result = new AdminOptionsValidator().Validate(null, new AdminOptions { Urls = urls });

        var failure = Assert.Single(result.Failures!);
        Assert.Equal($"Relay:Admin:Urls binds {host}, which is not loopback, and no authentication is configured: add Relay:Admin:Users " +
            "(hashes from 'relaysigner users hash-password') or Relay:Admin:TokenPath, or bind 127.0.0.1.", failure);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8025")]
    [InlineData("http://127.0.0.2:0")]
    [InlineData("http://[::1]:8025")]
    [InlineData("http://localhost:8025")]
    [InlineData("")]
    public void Loopback_needs_no_authentication(string urls)
    {
        Assert.True(new AdminOptionsValidator().Validate(null, new AdminOptions { Urls = urls }).Succeeded);
    }

    [Fact]
    public void A_user_or_a_token_file_lets_the_listener_bind_a_network_address()
    {
        using var folder = new TempFolder();
        var token = Path.Combine(folder.Path, "token");
        File.WriteAllText(token, "0123456789abcdefghijKLMNOP\n");

        Assert.True(new AdminOptionsValidator().Validate(null, new AdminOptions { Urls = "http://0.0.0.0:8025", Users = [new() { Name = "ops", PasswordHash = Hash }] }).Succeeded);
        Assert.True(new AdminOptionsValidator().Validate(null, new AdminOptions { Urls = "http://0.0.0.0:8025", TokenPath = token }).Succeeded);
        // Missing, in a folder that exists: made at start.
        Assert.True(new AdminOptionsValidator().Validate(null, new AdminOptions { Urls = "http://0.0.0.0:8025", TokenPath = Path.Combine(folder.Path, "new") }).Succeeded);
    }

    [Fact]
    public void Bad_users_a_short_token_and_bad_limits_are_all_reported_at_once()
    {
        using var folder = new TempFolder();
        var token = Path.Combine(folder.Path, "token");
        File.WriteAllText(token, "short\n");

        var result = new AdminOptionsValidator().Validate(null, new AdminOptions
        {
            Users = [new() { Name = "ops", PasswordHash = "plain text" }, new() { Name = "ops", PasswordHash = Hash }, new() { Name = "", PasswordHash = Hash }],
            TokenPath = token,
            MaxLoginFailures = 0,
            LoginFailureWindow = TimeSpan.Zero,
        });

        Assert.Equal(
        [
            "Relay:Admin:Users:0:PasswordHash is not a hash from 'relaysigner users hash-password'.",
            "Relay:Admin:Users:2:Name is required.",
            "Relay:Admin:Users: user names must be unique.",
            $"Relay:Admin:TokenPath: {token} must hold a token of at least 20 characters on its first line",
            "Relay:Admin:MaxLoginFailures must be 1 or more.",
            "Relay:Admin:LoginFailureWindow must be positive.",
        ], result.Failures);
    }

    [Fact]
    public void Known_sources_need_a_name_and_networks()
    {
        var result = new DmarcOptionsValidator().Validate(null, new DmarcOptions
        {
            KnownSources = [new() { Name = "CRM", Networks = ["198.51.100.0/24", "2001:db8::5"] }, new() { Name = "", Networks = ["not a network"] }, new() { Name = "ESP" }],
        });

        Assert.Equal(
        [
            "Relay:Dmarc:KnownSources:1:Name is required.",
            "Relay:Dmarc:KnownSources:1:Networks: 'not a network' is not an IP address or CIDR network.",
            "Relay:Dmarc:KnownSources:2:Networks must list IP addresses or CIDR networks.",
        ], result.Failures);
    }
}
