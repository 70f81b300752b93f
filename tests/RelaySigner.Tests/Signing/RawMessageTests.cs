using System.Text;
using RelaySigner.Signing.Dkim;

namespace RelaySigner.Tests.Signing;

public sealed class RawMessageTests
{
    [Fact]
    public void Fields_keep_their_folded_lines_and_the_body_starts_after_the_empty_line()
    {
        var bytes = Encoding.ASCII.GetBytes("Subject: one\r\n two\r\nFrom : a@example.com\r\n\r\nbody\r\n");

        var message = RawMessage.Split(bytes);

        Assert.Equal(["Subject", "From"], message.Fields.Select(f => f.Name));
        Assert.Equal("Subject: one\r\n two\r\n", Encoding.ASCII.GetString(message.BytesOf(message.Fields[0])));
        Assert.Equal("body\r\n", Encoding.ASCII.GetString(message.Body.Span));
    }

    [Fact]
    public void A_message_without_an_empty_line_is_all_header()
    {
        var message = RawMessage.Split(Encoding.ASCII.GetBytes("From: a@example.com\r\nSubject: s"));

        Assert.Equal(2, message.Fields.Count);
        Assert.Equal("Subject: s", Encoding.ASCII.GetString(message.BytesOf(message.Fields[1])));
        Assert.True(message.Body.IsEmpty);
    }
}
