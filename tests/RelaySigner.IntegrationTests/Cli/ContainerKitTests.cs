using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RelaySigner.Admin;
using RelaySigner.Configuration;
using RelaySigner.Core.Telemetry;
using RelaySigner.Delivery;
using RelaySigner.Intake;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Cli;

/// <summary>
/// deploy/Dockerfile and deploy/docker-compose.yml agree with the configuration the image runs on (no container engine
/// on the build machines, so this is checked from the files), and the relay starts on exactly that configuration.
/// </summary>
public sealed partial class ContainerKitTests
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot.Path, "deploy");
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(Deploy, "Dockerfile"));
    private static readonly string Compose = File.ReadAllText(Path.Combine(Deploy, "docker-compose.yml"));

    private static string ImageEnvironment => EnvironmentLine().Match(Dockerfile).Groups[1].Value;

    /// <summary>What the image reads: the shipped appsettings.json, then its environment's file, then its ENV lines.</summary>
    private static IConfiguration ImageConfiguration(IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryRoot.Path, "appsettings.json"))
            .AddJsonFile(Path.Combine(Deploy, $"appsettings.{ImageEnvironment}.json"))
            .AddInMemoryCollection(environment ?? []);
        ListReplacingConfigurationSource.Install(builder);
        return builder.Build();
    }

    [Fact]
    public void The_image_copies_its_environments_settings_file_and_nothing_that_needs_a_secret()
    {
        Assert.Equal("Container", ImageEnvironment);
        Assert.Contains($"COPY deploy/appsettings.{ImageEnvironment}.json ./", Dockerfile);
        Assert.DoesNotMatch(@"(?m)^COPY .*appsettings\.Production\.json", Dockerfile);
        var smtp = ImageConfiguration().GetSection(SmtpOptions.SectionName).Get<SmtpOptions>()!;
        Assert.False(smtp.Tls.IsConfigured, "the image has no certificate: its configuration must not name one");
        Assert.Empty(UnknownSettings.Find(ImageConfiguration()));
    }

    [Fact]
    public void Expose_lists_exactly_the_ports_the_images_configuration_listens_on()
    {
        var configuration = ImageConfiguration();
        var smtp = configuration.GetSection(SmtpOptions.SectionName).Get<SmtpOptions>()!;
        var admin = configuration.GetSection(AdminOptions.SectionName).Get<AdminOptions>()!;
        int?[] smtpPorts = [smtp.Port, smtp.SubmissionPort, smtp.ImplicitTlsPort];

        var listening = smtpPorts.OfType<int>().Concat(admin.UrlList.Select(url => new Uri(url).Port)).Order();

        Assert.Equal(listening, ExposeLine().Match(Dockerfile).Groups[1].Value.Split(' ').Select(int.Parse).Order());
        Assert.Equal("0.0.0.0", smtp.Address);
        Assert.All(admin.UrlList, url => Assert.Equal("0.0.0.0", new Uri(url).Host));
        // On 0.0.0.0 the relay starts only with a login configured: the image's token, made at first start in its volume.
        Assert.Equal("/queue/admin-token", admin.TokenPath);
    }

    [Fact]
    public void Compose_publishes_exposed_ports_sets_only_known_keys_and_points_the_relay_at_its_sink()
    {
        var exposed = ExposeLine().Match(Dockerfile).Groups[1].Value.Split(' ').Select(int.Parse).ToHashSet();
        var published = PortMapping().Matches(Compose).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        var environment = ComposeVariable().Matches(Compose)
            .Select(m => new KeyValuePair<string, string?>(m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal), m.Groups[2].Value.Trim()))
            .ToList();
        var configuration = ImageConfiguration(environment);

        Assert.NotEmpty(published);
        Assert.Subset(exposed, published.ToHashSet());
        Assert.NotEmpty(environment);
        Assert.Empty(UnknownSettings.Find(configuration));
        var smarthost = configuration.GetSection(DeliveryOptions.SectionName).Get<DeliveryOptions>()!.Smarthost!;
        var sinkPort = SinkPort().Match(Compose).Groups[1].Value;
        Assert.Equal($"sink:{sinkPort}", smarthost);
        // The keys are mounted where the relay reads them, or (the demo keys, owned by the host's user, which the
        // relay refuses) copied there owner-only from a mount at start.
        var keysPath = configuration["Relay:Dkim:KeysPath"];
        Assert.True(Compose.Contains($":{keysPath}:ro", StringComparison.Ordinal)
            || (Compose.Contains(":/demo-keys:ro", StringComparison.Ordinal) && Compose.Contains($"cp -r /demo-keys {keysPath}", StringComparison.Ordinal)),
            $"compose neither mounts nor copies the keys into {keysPath}");
        Assert.Contains($"queue:{configuration["Relay:Queue:Path"]}", Compose);
    }

    [Fact]
    public async Task The_relay_starts_on_the_images_configuration_with_the_demo_keys_mounted()
    {
        using var app = new TempFolder();
        File.Copy(Path.Combine(RepositoryRoot.Path, "appsettings.json"), Path.Combine(app.Path, "appsettings.json"));
        File.Copy(Path.Combine(Deploy, $"appsettings.{ImageEnvironment}.json"), Path.Combine(app.Path, $"appsettings.{ImageEnvironment}.json"));
        var queue = Path.Combine(app.Path, "queue");

        // As the image runs it, but on loopback and free ports (tests never listen on 0.0.0.0), the queue, keys and
        // admin token in temporary folders instead of the volumes.
        await using var relay = await RelayProcess.StartAsync(queue, app.Path,
            new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = ImageEnvironment },
            ("Relay:Admin:TokenPath", Path.Combine(app.Path, "admin-token")));

        var started = Assert.Single(relay.Entries, e => e.EventId == EventIds.Host.Started);
        Assert.Equal((app.Path, ImageEnvironment), (started.Text("ConfigurationFolder"), started.Text("Environment")));
        Assert.DoesNotContain(relay.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public void The_production_example_has_only_keys_the_relay_binds()
    {
        var builder = new ConfigurationBuilder().AddJsonFile(Path.Combine(Deploy, "appsettings.Production.json"));

        Assert.Empty(UnknownSettings.Find(builder.Build()));
    }

    [GeneratedRegex(@"(?m)^ENV DOTNET_ENVIRONMENT=(\S+)")]
    private static partial Regex EnvironmentLine();

    [GeneratedRegex(@"(?m)^EXPOSE ([\d ]+)$")]
    private static partial Regex ExposeLine();

    [GeneratedRegex(@"(?m)^\s+- ""127\.0\.0\.1:\d+:(\d+)""")]
    private static partial Regex PortMapping();

    [GeneratedRegex(@"(?m)^\s+(Relay__\w+):(.*)$")]
    private static partial Regex ComposeVariable();

    [GeneratedRegex(@"""sink"", ""--address"", ""0\.0\.0\.0"", ""--port"", ""(\d+)""")]
    private static partial Regex SinkPort();
}
