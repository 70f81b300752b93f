using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Admin;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Tests.Core;

public sealed class RelayMetricsTests
{
    [Fact]
    public void The_destination_label_names_the_configured_and_the_first_seen_domains_and_counts_the_rest_as_other()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new RelayMetrics(factory, new DestinationLabels(["Gmail.com."], maxOthers: 100));
        var labels = new List<string>();
        using var listener = DestinationListener(factory, labels);

        for (var i = 0; i < 2500; i++)
        {
            metrics.RecipientDelivered($"d{i}.example", TimeSpan.Zero);
            metrics.RecipientDeferred($"d{i}.example");
            metrics.RecipientBounced($"d{i}.example");
        }

        metrics.RecipientDelivered("gmail.com", TimeSpan.Zero);
        metrics.RecipientDelivered("D7.EXAMPLE", TimeSpan.Zero);

        var distinct = labels.Distinct().ToList();
        Assert.Equal(102, distinct.Count); // 100 first seen, gmail.com, other
        Assert.Contains("d99.example", distinct);
        Assert.DoesNotContain("d100.example", distinct);
        Assert.Equal(["gmail.com", "d7.example"], labels.TakeLast(2));
        Assert.Equal(2400 * 3, labels.Count(l => l == DestinationLabels.Other));
    }

    [Fact]
    public void The_admin_wiring_takes_the_destination_bounds_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Relay:Metrics:Destinations:0"] = "example.net",
            ["Relay:Metrics:MaxOtherDestinations"] = "1",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddRelayAdmin(configuration).BuildServiceProvider();

        var labels = services.GetRequiredService<DestinationLabels>();

        Assert.Equal(["first.example", "other", "example.net"], [labels.For("first.example"), labels.For("second.example"), labels.For("example.net")]);
    }

    private static MeterListener DestinationListener(IMeterFactory factory, List<string> labels)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name.StartsWith("relaysigner.recipients.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "destination")
                {
                    labels.Add((string)tag.Value!);
                }
            }
        });
        listener.Start();
        return listener;
    }
}
