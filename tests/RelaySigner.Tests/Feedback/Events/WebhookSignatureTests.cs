using System.Text;
using RelaySigner.Feedback.Events;

namespace RelaySigner.Tests.Feedback.Events;

public sealed class WebhookSignatureTests
{
    [Fact]
    public void The_header_is_the_time_and_the_hmac_of_time_dot_body_as_a_receiver_in_another_language_computes_it()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"1","type":"delivered"}""");

        var header = new WebhookSignature("8f1c0e5b2a9d4c7e8f1c0e5b2a9d4c7e").HeaderValue(DateTimeOffset.FromUnixTimeSeconds(1796528150), body);

        // hmac.new(secret, b"1796528150." + body, hashlib.sha256).hexdigest() in Python, as in the README's example.
        Assert.Equal("t=1796528150,v1=fb16856fe487d9ae10f392aa53fbcda21dbdf31c70c377d1b07b3dc42012fa3f", header);
    }
}
