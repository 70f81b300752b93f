using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Signing.Keys;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests;

/// <summary>
/// The issue's "done when": every message of a tricky corpus (TestData/Tricky, exact bytes) handed to the running
/// relay over SMTP arrives at a real sink with aligned RSA and Ed25519 signatures that dkimpy and MimeKit both
/// accept, its own bytes intact below them; every bad From is refused with a clear 5xx.
/// </summary>
public sealed class TrickyCorpusTests : IClassFixture<TrickyCorpusTests.Keys>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string CorpusFolder = Path.Combine(RepositoryRoot.Path, "tests", "RelaySigner.IntegrationTests", "TestData", "Tricky");
    private readonly Keys _keys;
    private readonly TempFolder _queue = new();

    public TrickyCorpusTests(Keys keys) => _keys = keys;

    /// <summary>Every corpus file, signed with relaxed (the default) and with simple canonicalization.</summary>
    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.EnumerateFiles(CorpusFolder, "*.eml").Select(f => Path.GetFileName(f)).Order())
        {
            data.Add(file, "relaxed/relaxed");
            data.Add(file, "simple/simple");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task A_tricky_message_arrives_with_aligned_rsa_and_ed25519_signatures_that_dkimpy_and_mimekit_accept(string file, string canonicalization)
    {
        var sent = await File.ReadAllBytesAsync(Path.Combine(CorpusFolder, file));
        await AssertRelayedSignedAsync(sent, smtpUtf8: file.StartsWith("smtputf8", StringComparison.Ordinal), foreignSignatures: 0, canonicalization);
    }

    [Fact]
    public async Task A_foreign_dkim_signature_stays_intact_and_valid_beside_the_relays()
    {
        var sent = ForeignSigned(Encoding.ASCII.GetBytes(
            "From: Mailing List <list@example.com>\r\nTo: someone@example.org\r\nSubject: signed upstream\r\n" +
            "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <foreign.1@example.com>\r\n\r\nsigned by a partner first\r\n"));

        await AssertRelayedSignedAsync(sent, smtpUtf8: false, foreignSignatures: 1, "relaxed/relaxed");
    }

    [Theory]
    [InlineData("From: a@example.com\r\nFrom: b@example.com\r\nSubject: two\r\n\r\nbody\r\n", "550 5.6.0", "more than one From header")]
    [InlineData("From: a@example.com\r\nSubject: x\r\nfrom: mallory@example.com\r\n\r\nbody\r\n", "550 5.6.0", "more than one From header")]
    [InlineData("From: a@example.com, b@example.com\r\nSubject: two mailboxes\r\n\r\nbody\r\n", "550 5.6.0", "exactly one mailbox")]
    [InlineData("From: not an address\r\nSubject: x\r\n\r\nbody\r\n", "550 5.6.0", "From header")]
    [InlineData("Subject: nobody\r\n\r\nbody\r\n", "550 5.6.0", "no From header")]
    [InlineData("From: a@example.co.uk\r\nSubject: x\r\n\r\nbody\r\n", "550 5.7.1", "no DKIM key for example.co.uk")]
    [InlineData("From: a@example.com\r\nSubject: bare LF\r\n\r\nline\nsmuggled\r\n", "550 5.6.0", "bare CR or LF")]
    public async Task A_message_that_cannot_be_signed_aligned_is_refused_with_a_clear_5xx(string content, string reply, string reason)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartRelayAsync(sink);

        var answer = await RawSmtpClient.SendMessageAsync(relay.Port, "app@example.com", "rcpt@example.org", Encoding.ASCII.GetBytes(content));

        Assert.StartsWith(reply, answer);
        Assert.Contains(reason, answer);
    }

    public void Dispose() => _queue.Dispose();

    private async Task AssertRelayedSignedAsync(byte[] sent, bool smtpUtf8, int foreignSignatures, string canonicalization)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartRelayAsync(sink, ("Relay:Dkim:Domains:example.com:Canonicalization", canonicalization));

        var reply = await RawSmtpClient.SendMessageAsync(relay.Port, "bounces@example.com", "rcpt@example.org", sent, smtpUtf8);
        var received = (await sink.Received.ReadAsync().AsTask().WaitAsync(Patience)).Content;

        Assert.StartsWith("250 2.0.0", reply);
        var original = Delivered(sent);
        Assert.Equal(original, received[^original.Length..]);
        var prepended = Encoding.ASCII.GetString(received[..^original.Length]);
        Assert.All(FieldNames(prepended), name => Assert.Contains(name, new[] { "dkim-signature", "received" }));
        Assert.Equal(2, FieldNames(prepended).Count(n => n == "dkim-signature"));
        Assert.Equal(2, Regex.Count(prepended, $"c={canonicalization};"));

        var (exitCode, output) = await Dkimpy.VerifyAsync(received, _keys.Path);
        Assert.True(exitCode == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 + foreignSignatures, lines.Length);
        Assert.Contains("pass d=example.com s=ed2026 a=ed25519-sha256", lines);
        Assert.Contains("pass d=example.com s=rsa2026 a=rsa-sha256", lines);

        var mimeKit = new DkimCheck(new KeyFolderPublicKeyLocator(_keys.Path)).Verify(received);
        Assert.Equal(2 + foreignSignatures, mimeKit.Count);
        Assert.All(mimeKit, result => Assert.StartsWith("dkim=pass", result));
    }

    /// <summary>
    /// What the sink can receive for bytes a client sent: SMTP ends every message with CRLF, and MimeKit (in
    /// delivery) gives a message without a header/body separator its blank line. Neither touches a signature.
    /// </summary>
    private static byte[] Delivered(byte[] sent)
    {
        var bytes = sent.AsSpan().EndsWith("\r\n"u8) ? sent : [.. sent, .. "\r\n"u8];
        return Encoding.ASCII.GetString(bytes).Contains("\r\n\r\n", StringComparison.Ordinal) ? bytes : [.. bytes, .. "\r\n"u8];
    }

    private static List<string> FieldNames(string headers) =>
        Regex.Matches(headers, @"(?m)^([^\s:]+):").Select(m => m.Groups[1].Value.ToLowerInvariant()).ToList();

    private Task<RelayUnderTest> StartRelayAsync(SmtpSink sink, params (string Key, string Value)[] settings) =>
        RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint, [("Relay:Dkim:KeysPath", _keys.Path), .. settings]);

    /// <summary>Signed by a partner domain before it reaches the relay, as a mailing list or ESP would (simple/simple).</summary>
    private byte[] ForeignSigned(byte[] content)
    {
        var message = MimeMessage.Load(new MemoryStream(content));
        var key = KeyFileReader.Read(KeyFolder.PemPath(_keys.Path, "partner.example.net", "list"));
        new DkimSigner(key.Key, "partner.example.net", "list", DkimSignatureAlgorithm.RsaSha256).Sign(message, ["from", "to", "subject", "date", "message-id"]);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var written = new MemoryStream();
        message.WriteTo(format, written);
        return written.ToArray();
    }

    /// <summary>The relay's key folder: example.com with RSA-2048 and Ed25519 keys, and a partner's key for foreign signatures.</summary>
    public sealed class Keys : IDisposable
    {
        private readonly TempFolder _folder = new();

        public Keys()
        {
            KeyGenerator.Generate(_folder.Path, "example.com", "rsa2026", DkimSignatureAlgorithm.RsaSha256);
            KeyGenerator.Generate(_folder.Path, "example.com", "ed2026", DkimSignatureAlgorithm.Ed25519Sha256);
            KeyGenerator.Generate(_folder.Path, "partner.example.net", "list", DkimSignatureAlgorithm.RsaSha256);
        }

        public string Path => _folder.Path;

        public void Dispose() => _folder.Dispose();
    }
}
