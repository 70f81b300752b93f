using RelaySigner.Core;
using RelaySigner.Queue;

namespace RelaySigner.Tests.Core;

/// <summary>The Message-ID as the history keeps and finds it, and what a history query means.</summary>
public sealed class MessageIdTests
{
    [Theory]
    [InlineData("<a.b@example.com>", "a.b@example.com")]
    [InlineData("  a.b@example.com ", "a.b@example.com")]
    [InlineData("<>", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_message_id_is_kept_without_brackets_and_space(string? header, string? kept) =>
        Assert.Equal(kept, Envelope.NormalizeMessageId(header));

    [Fact]
    public void A_long_message_id_is_cut_to_the_bound() =>
        Assert.Equal(Envelope.MaxMessageIdLength, Envelope.NormalizeMessageId($"<{new string('x', 5000)}@example.com>")!.Length);

    [Theory]
    [InlineData("019a1b2c3d4e5f60718293a", null, "019a1b2c3d4e5f60718293a", null)]
    [InlineData("19a1b2c3d4e0011223344", "19A1B2C3D4E0011223344", null, null)]
    [InlineData("<inv-1@billing.example.com>", null, "inv-1@billing.example.com", null)]
    [InlineData("AP@Customer.example.org", null, "AP@Customer.example.org", "AP@Customer.example.org")]
    public void A_query_is_a_queue_id_in_any_case_a_message_id_or_an_address(string text, string? id, string? messageId, string? recipient)
    {
        var query = HistoryQuery.Parse(text);

        Assert.Equal(id, query.Id?.Value);
        Assert.Equal(messageId, query.MessageId);
        Assert.Equal(recipient, query.Recipient);
    }
}
