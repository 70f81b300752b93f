using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Feedback;
using RelaySigner.Feedback.Tokens;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Feedback;

public sealed class FeedbackServiceCollectionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private ServiceProvider Build(params (string Key, string Value)[] settings) => new ServiceCollection()
        .AddRelayFeedback(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build())
        .BuildServiceProvider();

    [Fact]
    public void The_codec_uses_the_configured_key_file_creating_it_when_missing()
    {
        var path = Path.Combine(_folder.Path, "bounce.key");
        using var services = Build(("Relay:Bounces:SecretPath", path));

        var local = services.GetRequiredService<VerpTokenCodec>().EncodeLocalPart(new VerpToken(new QueueId("0193A1B2C3D4E5F6A7B8C"), 0));

        Assert.True(File.Exists(path));
        Assert.True(new VerpTokenCodec(BounceSecret.LoadOrCreate(path)).TryDecode(local, out _));
    }

    [Fact]
    public void Invalid_options_are_reported_with_their_keys()
    {
        using var services = Build(("Relay:Bounces:FeedbackAddresses:0", "not an address"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BounceOptions>>().Value);

        Assert.Contains("Relay:Bounces:FeedbackAddresses:0", error.Message);
    }
}
