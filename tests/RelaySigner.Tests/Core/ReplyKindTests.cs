using RelaySigner.Core;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Tests.Core;

/// <summary>Only a reply that names the address as the problem is hard (and suppresses); a block never is.</summary>
public sealed class ReplyKindTests
{
    [Theory]
    [InlineData(550, "5.1.1", ReplyKind.Hard)]
    [InlineData(550, "5.1.10", ReplyKind.Hard)]
    [InlineData(553, "5.1.2", ReplyKind.Hard)]
    [InlineData(550, "5.2.1", ReplyKind.Hard)]
    [InlineData(550, "5.7.1", ReplyKind.Block)]
    [InlineData(554, "5.7.606", ReplyKind.Block)]
    [InlineData(451, "4.7.1", ReplyKind.Block)]
    [InlineData(550, "5.1.8", ReplyKind.Block)]
    [InlineData(552, "5.2.2", ReplyKind.Soft)]
    [InlineData(450, "4.2.0", ReplyKind.Soft)]
    [InlineData(550, "5.0.0", ReplyKind.Unknown)]
    [InlineData(554, "5.4.7", ReplyKind.Unknown)]
    public void A_reply_is_classified_by_its_enhanced_status(int code, string status, string kind) =>
        Assert.Equal(kind, ReplyKind.Of(new SmtpReply(code, status, "text")));

    [Theory]
    [InlineData("Jane.Doe@Example.ORG", "Jane.Doe@example.org")]
    [InlineData(" jane@example.org ", "jane@example.org")]
    [InlineData("\"odd@x\"@Example.org", "\"odd@x\"@example.org")]
    public void A_suppression_key_lowers_only_the_domain_part(string address, string key) =>
        Assert.Equal(key, SuppressionKey.Recipient(address));
}
