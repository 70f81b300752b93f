using RelaySigner.Feedback.Bulk;

namespace RelaySigner.Tests.Feedback;

public sealed class BulkOptionsValidatorTests
{
    private static IEnumerable<string> Errors(BulkOptions options) =>
        new BulkOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Errors(new BulkOptions()));

    [Fact]
    public void A_rate_that_is_not_a_fraction_and_a_negative_minimum_are_both_reported()
    {
        var errors = Errors(new BulkOptions { PauseAboveComplaintRate = 0.3 * 100, PauseMinimumDelivered = -1 }).ToList();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("Relay:Bulk:PauseAboveComplaintRate must be a fraction"));
        Assert.Contains(errors, e => e.Contains("Relay:Bulk:PauseMinimumDelivered must not be negative"));
    }
}
