using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace RelaySigner.Benchmarks;

/// <summary>The floor of RSA signing: one RSA-2048 PKCS#1 v1.5 signature of a SHA-256 hash through the platform (OpenSSL).</summary>
public class RawRsaBenchmarks
{
    private readonly byte[] _hash = SHA256.HashData("a DKIM header hash"u8);
    private RSA? _rsa;

    [GlobalSetup]
    public void Setup() => _rsa = RSA.Create(2048);

    [GlobalCleanup]
    public void Cleanup() => _rsa?.Dispose();

    [Benchmark(Description = "raw RSA-2048 SignHash")]
    public byte[] SignHash() => _rsa!.SignHash(_hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
}
