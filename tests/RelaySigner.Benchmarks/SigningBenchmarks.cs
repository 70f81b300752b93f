using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit.Cryptography;
using RelaySigner.Core.Signing;
using RelaySigner.Signing;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Benchmarks;

/// <summary>
/// The signing stage as intake calls it (parse → align → sign; the queue stores the signature beside the untouched
/// message), for 10 KB and 1 MB messages with an RSA-2048 and an Ed25519 key. Compare with <see cref="RawRsaBenchmarks"/>: the target is a signed 10 KB
/// message costing at most 1.2× the raw RSA-2048 signature.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private readonly SenderIdentity _client = new(System.Net.IPAddress.Loopback, null);
    private string _keysPath = string.Empty;
    private DkimKeyStore? _store;
    private MessageSigner? _signer;
    private byte[] _message = [];

    [Params(10 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [Params("rsa-2048", "ed25519")]
    public string Key { get; set; } = "rsa-2048";

    [GlobalSetup]
    public void Setup()
    {
        _keysPath = Directory.CreateTempSubdirectory("relaysigner-bench-").FullName;
        KeyGenerator.Generate(_keysPath, "rsa.example", "s1", DkimSignatureAlgorithm.RsaSha256);
        KeyGenerator.Generate(_keysPath, "ed.example", "s1", DkimSignatureAlgorithm.Ed25519Sha256);
        _store = new DkimKeyStore(Options.Create(new DkimOptions { KeysPath = _keysPath }), new HostingEnvironment { ContentRootPath = _keysPath },
            TimeProvider.System, NullLogger<DkimKeyStore>.Instance);
        _signer = new MessageSigner(new AlignedKeyResolver(_store, PublicSuffixList.Shipped), NullLogger<MessageSigner>.Instance);
        _message = Message(Key == "rsa-2048" ? "app@rsa.example" : "app@ed.example", Size);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.Dispose();
        Directory.Delete(_keysPath, recursive: true);
    }

    [Benchmark(Description = "MessageSigner.Sign")]
    public ReadOnlyMemory<byte> SignMessage() => _signer!.Sign(_message, _client).SignatureHeaders;

    internal static byte[] Message(string from, int size)
    {
        var text = new StringBuilder(size + 512)
            .Append($"From: App <{from}>\r\nTo: someone@example.org\r\nSubject: benchmark\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n")
            .Append("Message-ID: <bench@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        const string line = "The quick brown fox jumps over the lazy dog, again and again, 0123456789.\r\n";
        while (text.Length < size)
        {
            text.Append(line);
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
