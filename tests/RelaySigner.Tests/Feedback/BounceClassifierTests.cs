using RelaySigner.Feedback.Parsing;

namespace RelaySigner.Tests.Feedback;

/// <summary>The decisions that matter most: what suppresses a recipient for good, and what never does.</summary>
public sealed class BounceClassifierTests
{
    [Theory]
    [InlineData("5.1.1", "", FeedbackKind.Hard)]
    [InlineData("5.1.2", "", FeedbackKind.Hard)]
    [InlineData("5.1.6", "", FeedbackKind.Hard)]
    [InlineData("5.1.10", "", FeedbackKind.Hard)]
    [InlineData("5.2.1", "account disabled", FeedbackKind.Hard)]
    [InlineData("5.4.1", "Recipient address rejected: Access denied", FeedbackKind.Hard)]
    [InlineData("5.2.2", "Mailbox full", FeedbackKind.Soft)]
    [InlineData("4.2.2", "over quota", FeedbackKind.Soft)]
    [InlineData("5.4.7", "delivery time expired", FeedbackKind.Soft)]
    [InlineData("4.4.1", "Connection timed out", FeedbackKind.Soft)]
    [InlineData("5.7.1", "blocked using zen.spamhaus.org", FeedbackKind.Block)]
    [InlineData("5.7.1", "User unknown", FeedbackKind.Block)] // the policy code wins: never suppress on a 5.7
    [InlineData("4.7.0", "temporarily deferred due to user complaints", FeedbackKind.Block)]
    [InlineData("5.1.8", "Sender address rejected: Domain not found", FeedbackKind.Block)] // the sender's domain, not the recipient
    [InlineData(null, "550 No such user here", FeedbackKind.Hard)]
    [InlineData(null, "550 Rejected for policy reasons", FeedbackKind.Block)]
    [InlineData(null, "Recipient not listed in Domino Directory", FeedbackKind.Hard)]
    [InlineData(null, "451 Temporary local problem - please try later", FeedbackKind.Soft)]
    [InlineData(null, "450 user unknown", FeedbackKind.Soft)] // a 4xx is never final
    [InlineData("5.0.0", "", FeedbackKind.Unknown)]
    [InlineData(null, "Something went wrong", FeedbackKind.Unknown)]
    public void Classifies(string? status, string text, FeedbackKind expected) =>
        Assert.Equal(expected, BounceClassifier.Classify(status, text));

    [Fact]
    public void A_delayed_report_is_soft_whatever_its_words_say() =>
        Assert.Equal(FeedbackKind.Soft, BounceClassifier.Classify(null, "user unknown", temporary: true));
}
