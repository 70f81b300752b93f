using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Tests.Core;

public sealed class FeedbackMetricsTests
{
    [Fact]
    public void Bounces_count_by_kind_and_domain_and_complaints_by_domain_with_bounded_labels()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new RelayMetrics(factory);
        var seen = new List<(string Instrument, string Labels)>();
        using var listener = Listen(factory, seen);

        metrics.RecordFeedback("hard", "Example.COM.");
        metrics.RecordFeedback("Complaint", "example.com");
        metrics.RecordFeedback("AuthFailure", "example.com");
        metrics.RecordFeedback("auth-failure", "example.com");
        metrics.RecordFeedback("Subject: hello", "example.com");
        for (var i = 0; i < 150; i++)
        {
            metrics.RecordFeedback("soft", $"d{i}.example");
        }

        Assert.Equal(
            [
                ("relaysigner.bounces", "kind=hard,domain=example.com"),
                ("relaysigner.complaints", "domain=example.com"),
                ("relaysigner.bounces", "kind=auth-failure,domain=example.com"),
                ("relaysigner.bounces", "kind=auth-failure,domain=example.com"),
                ("relaysigner.bounces", "kind=unknown,domain=example.com"),
            ],
            seen.Take(5));
        var domains = seen.Skip(5).Select(s => s.Labels.Split("domain=")[1]).ToList();
        Assert.Equal(99, domains.Distinct().Count(d => d != DestinationLabels.Other)); // example.com took the first of 100
        Assert.Equal(51, domains.Count(d => d == DestinationLabels.Other));
    }

    private static MeterListener Listen(IMeterFactory factory, List<(string, string)> seen)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name is "relaysigner.bounces" or "relaysigner.complaints")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
            seen.Add((instrument.Name, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();
        return listener;
    }
}
