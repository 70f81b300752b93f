using System.Text;
using RelaySigner.Feedback.Unsubscribe;

namespace RelaySigner.Tests.Feedback;

public sealed class UnsubscribeTokenCodecTests
{
    private static readonly UnsubscribeToken Token = new("Jane.Doe@example.org", "example.com", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private readonly UnsubscribeTokenCodec _codec = Codec(seed: 1);

    private static UnsubscribeTokenCodec Codec(int seed) =>
        new(UnsubscribeKey.FromBytes([.. Enumerable.Range(0, UnsubscribeKey.Length).Select(i => (byte)(i * seed + seed))]));

    private bool TryOpenUrl(string text, out UnsubscribeToken token)
    {
        token = null!;
        return UnsubscribeTokenCodec.TryParseUrlToken(text, out var sealedToken) && _codec.TryOpen(sealedToken, out token);
    }

    [Fact]
    public void A_link_token_opens_to_the_recipient_domain_and_time_it_was_made_for()
    {
        var url = UnsubscribeTokenCodec.UrlForm(_codec.Seal(Token));

        Assert.True(TryOpenUrl(url, out var opened));
        Assert.Equal(Token, opened);
        Assert.Matches("^[A-Za-z0-9_-]+$", url);
    }

    [Fact]
    public void A_mailto_local_part_opens_in_any_case()
    {
        var local = UnsubscribeTokenCodec.LocalPartForm(_codec.Seal(Token));

        Assert.StartsWith("u-", local);
        Assert.Matches("^u-[a-z2-7]+$", local);
        Assert.True(UnsubscribeTokenCodec.TryParseLocalPart(local.ToUpperInvariant() + "@Bounces.Example.com", out var sealedToken));
        Assert.True(_codec.TryOpen(sealedToken, out var opened));
        Assert.Equal(Token, opened);
    }

    [Fact]
    public void Neither_form_shows_the_address_or_domain_in_clear()
    {
        var sealedToken = _codec.Seal(Token);
        var forms = UnsubscribeTokenCodec.UrlForm(sealedToken) + UnsubscribeTokenCodec.LocalPartForm(sealedToken) +
                    Encoding.Latin1.GetString(sealedToken);

        Assert.DoesNotContain("jane", forms, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("example", forms, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Tokens_for_neighbouring_addresses_share_nothing_that_would_let_one_be_guessed_from_another()
    {
        var a = _codec.Seal(Token);
        var b = _codec.Seal(Token with { Recipient = "Jane.Doe@example.orh" });

        // Synthetic nonces differ, so the whole ciphertext does: no common keystream, no shared prefix past the version.
        Assert.NotEqual(a[1..13], b[1..13]);
        Assert.Equal(_codec.Seal(Token), a); // deterministic: the same link for the same recipient, domain and second
    }

    [Fact]
    public void Every_single_bit_changed_anywhere_is_rejected()
    {
        var sealedToken = _codec.Seal(Token);
        for (var bit = 0; bit < sealedToken.Length * 8; bit++)
        {
            var tampered = (byte[])sealedToken.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(_codec.TryOpen(tampered, out _), $"bit {bit}");
        }
    }

    [Fact]
    public void A_token_made_with_another_key_is_rejected()
    {
        var foreign = UnsubscribeTokenCodec.UrlForm(Codec(seed: 2).Seal(Token));

        Assert.True(UnsubscribeTokenCodec.TryParseUrlToken(foreign, out _)); // well-formed: it is the key that fails
        Assert.False(TryOpenUrl(foreign, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("not base64url!")]
    [InlineData("AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA")]
    public void Malformed_link_tokens_are_told_apart_before_any_decryption(string text) =>
        Assert.False(UnsubscribeTokenCodec.TryParseUrlToken(text, out _));

    [Fact]
    public void Link_tokens_shorter_or_longer_than_any_real_token_are_malformed()
    {
        Assert.False(UnsubscribeTokenCodec.TryParseUrlToken(new string('A', UnsubscribeTokenCodec.MinBytes * 4 / 3 - 1), out _));
        Assert.False(UnsubscribeTokenCodec.TryParseUrlToken(new string('A', UnsubscribeTokenCodec.MaxBytes * 4 / 3 + 4), out _));
        Assert.False(UnsubscribeTokenCodec.TryParseLocalPart("u-" + new string('a', UnsubscribeTokenCodec.MaxBytes * 8 / 5 + 8), out _));
        Assert.False(UnsubscribeTokenCodec.TryParseLocalPart("u-aaaa", out _));
    }

    [Fact]
    public void The_longest_address_and_domain_fit_and_longer_ones_are_refused()
    {
        var longest = new UnsubscribeToken(new string('a', 64) + "@" + new string('b', 189), new string('c', 253), Token.IssuedAt);
        var url = UnsubscribeTokenCodec.UrlForm(_codec.Seal(longest));

        Assert.True(TryOpenUrl(url, out var opened));
        Assert.Equal(longest, opened);
        Assert.Throws<ArgumentException>(() => _codec.Seal(longest with { Recipient = "a" + longest.Recipient }));
        Assert.Throws<ArgumentException>(() => _codec.Seal(longest with { Domain = "c" + longest.Domain }));
        Assert.Throws<ArgumentException>(() => _codec.Seal(Token with { Recipient = string.Empty }));
    }
}
