using RelaySigner.Feedback;

namespace RelaySigner.Tests.Feedback;

public sealed class BounceOptionsValidatorTests
{
    private static IEnumerable<string> Errors(BounceOptions options) =>
        new BounceOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Errors(new BounceOptions()));

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = Errors(new BounceOptions
        {
            SecretPath = " ",
            FeedbackAddresses = ["fbl@example.com", "not an address", "Name <fbl@example.com>", "@example.com"],
        }).ToList();

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("Relay:Bounces:SecretPath"));
        Assert.Contains(errors, e => e.Contains("Relay:Bounces:FeedbackAddresses:1 'not an address'"));
        Assert.Contains(errors, e => e.Contains("Relay:Bounces:FeedbackAddresses:2"));
        Assert.Contains(errors, e => e.Contains("Relay:Bounces:FeedbackAddresses:3"));
    }

    [Fact]
    public void A_secret_path_that_is_a_folder_is_refused() =>
        Assert.Contains(Errors(new BounceOptions { SecretPath = Path.GetTempPath() }), e => e.Contains("is a folder"));
}
