using RelaySigner.Core;
using RelaySigner.Feedback.Tokens;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Feedback;

public sealed class BounceSecretTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_missing_key_file_is_created_with_32_bytes_readable_only_by_its_owner()
    {
        var path = Path.Combine(_folder.Path, "sub", "bounce.key");

        BounceSecret.LoadOrCreate(path);

        Assert.Equal(32, new FileInfo(path).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
    }

    [Fact]
    public void An_existing_key_file_is_read_not_replaced()
    {
        var path = Path.Combine(_folder.Path, "bounce.key");
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(path, key);

        var token = new VerpToken(new QueueId("0193A1B2C3D4E5F6A7B8C"), 1);
        var fromFile = new VerpTokenCodec(BounceSecret.LoadOrCreate(path)).EncodeLocalPart(token);

        Assert.Equal(new VerpTokenCodec(BounceSecret.FromBytes(key)).EncodeLocalPart(token), fromFile);
        Assert.Equal(key, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Nodes_starting_at_once_all_end_with_the_same_key()
    {
        var path = Path.Combine(_folder.Path, "shared.key");
        var token = new VerpToken(new QueueId("0193A1B2C3D4E5F6A7B8C"), 3);
        using var start = new ManualResetEventSlim();

        var nodes = Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return new VerpTokenCodec(BounceSecret.LoadOrCreate(path)).EncodeLocalPart(token);
        })).ToArray();
        start.Set();
        var tokens = await Task.WhenAll(nodes);

        Assert.Single(tokens.Distinct());
        Assert.Equal(tokens[0], new VerpTokenCodec(BounceSecret.LoadOrCreate(path)).EncodeLocalPart(token));
        Assert.Equal([path], Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void A_key_file_of_the_wrong_length_is_refused_naming_the_file()
    {
        var path = Path.Combine(_folder.Path, "short.key");
        File.WriteAllBytes(path, new byte[16]);

        var error = Assert.Throws<InvalidOperationException>(() => BounceSecret.LoadOrCreate(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("16", error.Message);
    }
}
