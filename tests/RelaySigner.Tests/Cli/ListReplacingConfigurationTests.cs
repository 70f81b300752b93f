using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RelaySigner.Configuration;
using RelaySigner.Delivery;
using RelaySigner.Intake;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Cli;

/// <summary>A list set by a later configuration source replaces the earlier sources' whole list.</summary>
public sealed class ListReplacingConfigurationTests : IDisposable
{
    private readonly TempFolder _config = new();

    public ListReplacingConfigurationTests() => File.WriteAllText(Path.Combine(_config.Path, "appsettings.json"), """
        { "Relay": {
            "Smtp": { "AllowedNetworks": [ "127.0.0.0/8", "::1/128" ] },
            "Delivery": { "RetrySchedule": [ "00:01:00", "00:05:00", "00:15:00" ] } } }
        """);

    [Fact]
    public void A_retry_schedule_from_the_environment_replaces_the_whole_schedule_of_appsettings()
    {
        // The README's own example, through a real environment variable (a prefix no other test uses).
        const string prefix = "RSTEST_LISTS_";
        Environment.SetEnvironmentVariable(prefix + "Relay__Delivery__RetrySchedule__0", "00:00:01");
        try
        {
            var builder = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(_config.Path, "appsettings.json"))
                .AddEnvironmentVariables(prefix);
            ListReplacingConfigurationSource.Install(builder);

            var delivery = builder.Build().GetSection(DeliveryOptions.SectionName).Get<DeliveryOptions>()!;

            Assert.Equal([TimeSpan.FromSeconds(1)], delivery.RetrySchedule);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "Relay__Delivery__RetrySchedule__0", null);
        }
    }

    [Fact]
    public void Allowed_networks_from_the_command_line_drop_the_defaults_of_appsettings()
    {
        using var host = RelayHost.CreateBuilder(["--Relay:Smtp:AllowedNetworks:0=192.0.2.0/24"], _config.Path).Build();

        var smtp = host.Services.GetRequiredService<IOptions<SmtpOptions>>().Value;

        Assert.Equal(["192.0.2.0/24"], smtp.EffectiveAllowedNetworks);
    }

    [Fact]
    public void A_list_no_later_source_touches_keeps_every_entry_and_other_keys_still_merge()
    {
        using var host = RelayHost.CreateBuilder(["--Relay:Delivery:MaxAge=1.00:00:00"], _config.Path).Build();

        var delivery = host.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;

        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)], delivery.RetrySchedule);
        Assert.Equal(TimeSpan.FromDays(1), delivery.MaxAge);
        Assert.Equal(["127.0.0.0/8", "::1/128"], host.Services.GetRequiredService<IOptions<SmtpOptions>>().Value.EffectiveAllowedNetworks);
    }

    [Fact]
    public void Entries_of_a_replaced_list_of_objects_are_dropped_whole()
    {
        var earlier = new Dictionary<string, string?>
        {
            ["Relay:Smtp:Users:0:Name"] = "old0",
            ["Relay:Smtp:Users:1:Name"] = "old1",
            ["Relay:Smtp:Users:1:AllowedFromDomains:0"] = "example.org",
        };
        var builder = new ConfigurationBuilder().AddInMemoryCollection(earlier)
            .AddInMemoryCollection([new("Relay:Smtp:Users:0:Name", "new0")]);
        ListReplacingConfigurationSource.Install(builder);

        var configuration = builder.Build();

        Assert.Equal(["0"], configuration.GetSection("Relay:Smtp:Users").GetChildren().Select(c => c.Key));
        Assert.Equal("new0", configuration["Relay:Smtp:Users:0:Name"]);
        Assert.Null(configuration["Relay:Smtp:Users:1:AllowedFromDomains:0"]);
    }

    public void Dispose() => _config.Dispose();
}
