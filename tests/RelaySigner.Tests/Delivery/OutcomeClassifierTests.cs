using Microsoft.Extensions.Configuration;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Delivery;
using RelaySigner.Delivery.Transport;

namespace RelaySigner.Tests.Delivery;

public sealed class OutcomeClassifierTests
{
    [Theory]
    [InlineData(250, RecipientStatus.Delivered)]
    [InlineData(251, RecipientStatus.Delivered)]
    [InlineData(421, RecipientStatus.Pending)]
    [InlineData(450, RecipientStatus.Pending)]
    [InlineData(451, RecipientStatus.Pending)]
    [InlineData(550, RecipientStatus.Failed)]
    [InlineData(554, RecipientStatus.Failed)]
    [InlineData(354, RecipientStatus.Pending)]
    [InlineData(0, RecipientStatus.Pending)]
    public void Codes_map_to_outcomes(int code, RecipientStatus status)
    {
        Assert.Equal(status, OutcomeClassifier.Classify(code));
    }

    [Theory]
    [InlineData(550, "5.1.1 <a@b.test>: User unknown", "5.1.1", "<a@b.test>: User unknown")]
    [InlineData(550, "User unknown", "5.0.0", "User unknown")]
    [InlineData(450, "4.2.1", "4.2.1", "")]
    [InlineData(451, "5.7.1 class does not match the code", "4.0.0", "5.7.1 class does not match the code")]
    [InlineData(250, "2.0.0 Ok: queued as 123", "2.0.0", "Ok: queued as 123")]
    [InlineData(550, "5.7.26 Unauthenticated email\n5.7.26 see https://help.test/x", "5.7.26", "Unauthenticated email see https://help.test/x")]
    [InlineData(554, "5.7.1 tab\there", "5.7.1", "tab here")]
    [InlineData(421, "4.7.0.1 not an enhanced code", "4.0.0", "4.7.0.1 not an enhanced code")]
    public void Replies_parse(int code, string text, string enhanced, string rest)
    {
        Assert.Equal(new SmtpReply(code, enhanced, rest), OutcomeClassifier.ParseReply(code, text));
    }

    [Fact]
    public void The_retry_schedule_defaults_when_not_configured_and_is_replaced_when_configured()
    {
        var unconfigured = Bind([]);
        var configured = Bind(new()
        {
            ["Relay:Delivery:RetrySchedule:0"] = "00:00:30",
            ["Relay:Delivery:RetrySchedule:1"] = "00:10:00",
        });

        Assert.Equal(DeliveryOptions.DefaultRetrySchedule, unconfigured.EffectiveRetrySchedule);
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10)], configured.EffectiveRetrySchedule);
    }

    [Fact]
    public void The_validator_reports_every_problem_at_once()
    {
        var result = new DeliveryOptionsValidator().Validate(null, new DeliveryOptions
        {
            Smarthost = "bad host",
            DnsServer = "dns.test:53",
            MxPort = 0,
            MaxConcurrentDeliveries = 0,
            SourceAddresses = ["192.0.2.10", "2001:db8::/64", "192.0.2.300"],
        });

        Assert.True(result.Failed);
        Assert.Equal(5, result.Failures!.Count());
        Assert.Contains("Relay:Delivery:SourceAddresses '192.0.2.300' is neither an IP address nor a CIDR network.", result.Failures!);
        Assert.True(new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { Smarthost = "127.0.0.1:2525", DnsServer = "127.0.0.1:5353" }).Succeeded);
    }

    private static DeliveryOptions Bind(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new DeliveryOptions();
        configuration.GetSection(DeliveryOptions.SectionName).Bind(options);
        return options;
    }
}
