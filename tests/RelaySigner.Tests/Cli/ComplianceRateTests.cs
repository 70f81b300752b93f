using System.Net;
using RelaySigner.Compliance;
using RelaySigner.Core.Feedback;
using RelaySigner.Dmarc.Checks;

namespace RelaySigner.Tests.Cli;

/// <summary>The complaint and hard-bounce rules: their lines, and the rates asked of the store for the organisational domain.</summary>
public sealed class ComplianceRateTests
{
    [Theory]
    [InlineData(10_000, 9, CheckStatus.Pass)] // 0.09 %
    [InlineData(10_000, 10, CheckStatus.Warn)] // 0.1 %: Gmail's "keep under"
    [InlineData(10_000, 29, CheckStatus.Warn)]
    [InlineData(10_000, 30, CheckStatus.Fail)] // 0.3 %: Gmail's line
    public void The_complaint_rate_warns_from_a_tenth_of_a_percent_and_fails_from_three_tenths(long delivered, long complaints, CheckStatus expected) =>
        Assert.Equal(expected, RateRules.Complaints(new FeedbackRates(delivered, 0, complaints), "").Status);

    [Fact]
    public void A_domain_with_no_mail_in_the_window_gets_a_warning_not_a_pass_from_a_rate_of_nothing()
    {
        Assert.Equal(CheckStatus.Warn, RateRules.Complaints(new FeedbackRates(0, 0, 0), "").Status);
        Assert.Equal(CheckStatus.Warn, RateRules.HardBounces(new FeedbackRates(0, 0, 0), "").Status);
    }

    [Theory]
    [InlineData(990, 10, CheckStatus.Pass)] // 1 %
    [InlineData(980, 20, CheckStatus.Warn)] // 2 %
    [InlineData(951, 49, CheckStatus.Warn)]
    [InlineData(950, 50, CheckStatus.Fail)] // 5 %
    public void The_hard_bounce_rate_warns_from_two_percent_and_fails_from_five(long delivered, long hardBounces, CheckStatus expected) =>
        Assert.Equal(expected, RateRules.HardBounces(new FeedbackRates(delivered, hardBounces, 0), "").Status);

    [Fact]
    public async Task The_rates_come_from_the_store_for_the_organisational_domain_over_the_last_seven_days()
    {
        var now = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var store = new RecordingRates(new FeedbackRates(Delivered: 2000, HardBounces: 10, Complaints: 8));
        var check = new ComplianceCheck(new IPEndPoint(IPAddress.Loopback, 9), d => d == "news.example.com" ? "example.com" : d,
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now));

        var results = await check.RatesAsync(Setup(store), CancellationToken.None);

        Assert.Equal([("example.com", now - TimeSpan.FromDays(7))], store.Asked);
        Assert.Equal(CheckStatus.Fail, Assert.Single(results, r => r.Subject == RateRules.ComplaintSubject).Status);
        Assert.Equal("0.4 % (8 complaints for 2000 delivered for example.com in the last 7 days): at or above 0.3 %",
            Assert.Single(results, r => r.Subject == RateRules.ComplaintSubject).Detail);
        Assert.Equal(CheckStatus.Pass, Assert.Single(results, r => r.Subject == RateRules.HardBounceSubject).Status);
    }

    private static ComplianceSetup Setup(IFeedbackRates rates) =>
        new("news.example.com", "news.example.com", [], null, "mail.example.com", null, [], null, rates);

    private sealed class RecordingRates(FeedbackRates rates) : IFeedbackRates
    {
        public List<(string Domain, DateTimeOffset Since)> Asked { get; } = [];

        public Task<FeedbackRates> GetAsync(string domain, DateTimeOffset since, CancellationToken cancellationToken)
        {
            Asked.Add((domain, since));
            return Task.FromResult(rates);
        }
    }
}
