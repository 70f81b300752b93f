using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit.Cryptography;
using RelaySigner.Core.Signing;
using RelaySigner.Signing;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Benchmarks.Overhead;

/// <summary>
/// The signing stage's cost against a raw RSA-2048 signature by the platform, on the same key, measured in
/// alternating rounds: on a shared or virtual machine whose speed drifts, two separate BenchmarkDotNet runs can
/// differ by more than the overhead being measured, while rounds taken turn about see the same machine.
/// </summary>
internal static class SigningOverheadDriver
{
    private const int Rounds = 21;
    private const int PerRound = 300;

    public static int Run()
    {
        var keys = Directory.CreateTempSubdirectory("relaysigner-overhead-").FullName;
        try
        {
            KeyGenerator.Generate(keys, "rsa.example", "s1", DkimSignatureAlgorithm.RsaSha256);
            using var store = new DkimKeyStore(Options.Create(new DkimOptions { KeysPath = keys }), new HostingEnvironment { ContentRootPath = keys },
                TimeProvider.System, NullLogger<DkimKeyStore>.Instance);
            var signer = new MessageSigner(new AlignedKeyResolver(store, PublicSuffixList.Shipped), NullLogger<MessageSigner>.Instance);
            using var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(KeyFolder.PemPath(keys, "rsa.example", "s1")));
            var message = SigningBenchmarks.Message("app@rsa.example", 10 * 1024);
            var digest = SHA256.HashData(message);
            var client = new SenderIdentity(System.Net.IPAddress.Loopback, null);

            var raw = new List<double>();
            var signed = new List<double>();
            for (var round = 0; round <= Rounds; round++)
            {
                var rawTime = Time(() => rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
                var signedTime = Time(() => signer.Sign(message, client));
                if (round > 0)
                {
                    raw.Add(rawTime);
                    signed.Add(signedTime);
                }
            }

            Console.WriteLine("| 10 KB message, RSA-2048 | min µs | median µs |");
            Console.WriteLine("|---|---:|---:|");
            Console.WriteLine(Row("raw SignHash (platform)", raw));
            Console.WriteLine(Row("MessageSigner.Sign", signed));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| ratio | {signed.Min() / raw.Min():F2}× | {Median(signed) / Median(raw):F2}× |"));
            return 0;
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    /// <returns>Microseconds per call over one round.</returns>
    private static double Time(Action action)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < PerRound; i++)
        {
            action();
        }

        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / PerRound;
    }

    private static string Row(string name, List<double> times) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {times.Min():F0} | {Median(times):F0} |");

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
