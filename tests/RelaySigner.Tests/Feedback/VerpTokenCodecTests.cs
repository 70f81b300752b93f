using RelaySigner.Core;
using RelaySigner.Feedback.Tokens;

namespace RelaySigner.Tests.Feedback;

public sealed class VerpTokenCodecTests
{
    private static readonly VerpTokenCodec Codec = new(BounceSecret.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));
    private static readonly VerpToken Sample = new(new QueueId("0193A1B2C3D4E5F6A7B8C"), 7);

    [Fact]
    public void A_token_round_trips_to_its_message_and_recipient()
    {
        var address = Codec.EncodeAddress(Sample, "bounces.example.com");

        Assert.True(Codec.TryDecode(address, out var token));
        Assert.Equal(Sample, token);
        Assert.EndsWith("@bounces.example.com", address);
    }

    [Fact]
    public void The_local_part_fits_in_64_octets_and_uses_only_lowercase_letters_digits_and_the_dash()
    {
        var local = Codec.EncodeLocalPart(new VerpToken(new QueueId("FFFFFFFFFFFFFFFFFFFFF"), ushort.MaxValue));

        Assert.True(local.Length <= 64, local);
        Assert.StartsWith("b-", local);
        Assert.All(local, c => Assert.True(c is (>= 'a' and <= 'z') or (>= '2' and <= '7') or '-', $"'{c}' in {local}"));
    }

    [Fact]
    public void A_receiver_that_changes_the_case_of_the_local_part_does_not_break_it()
    {
        var local = Codec.EncodeLocalPart(Sample);

        Assert.True(Codec.TryDecode(local.ToUpperInvariant() + "@BOUNCES.EXAMPLE.COM", out var token));
        Assert.Equal(Sample, token);
    }

    [Fact]
    public void Every_single_character_change_of_a_valid_token_is_rejected()
    {
        var local = Codec.EncodeLocalPart(Sample);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_.+=";
        var tried = 0;
        for (var position = 0; position < local.Length; position++)
        {
            foreach (var replacement in alphabet.Where(c => c != char.ToLowerInvariant(local[position])))
            {
                var changed = local[..position] + replacement + local[(position + 1)..];
                Assert.False(Codec.TryDecode(changed, out _), changed);
                tried++;
            }
        }

        Assert.Equal(local.Length * (alphabet.Length - 1), tried);
    }

    [Fact]
    public void A_token_made_with_another_secret_or_cut_short_or_lengthened_is_rejected()
    {
        var other = new VerpTokenCodec(BounceSecret.FromBytes(new byte[32]));
        var local = other.EncodeLocalPart(Sample);

        Assert.False(Codec.TryDecode(local, out _));
        Assert.False(Codec.TryDecode(local[..^1], out _));
        Assert.False(Codec.TryDecode(local + "a", out _));
        Assert.False(Codec.TryDecode("b-", out _));
        Assert.False(Codec.TryDecode("bounce@example.com", out _));
        Assert.False(Codec.TryDecode(null, out _));
    }

    [Fact]
    public void Non_ascii_look_alikes_of_the_alphabet_are_rejected()
    {
        // A token with a 'k' in it: KELVIN SIGN (U+212A) lowercases to 'k' under Unicode rules.
        var local = Enumerable.Range(0, 1000).Select(i => Codec.EncodeLocalPart(Sample with { RecipientIndex = i }))
            .First(candidate => candidate.IndexOf('k', 2) > 0);
        var k = local.IndexOf('k', 2);

        Assert.True(Codec.TryDecode(local, out _));
        Assert.False(Codec.TryDecode(local[..k] + '\u212A' + local[(k + 1)..], out _));
        Assert.False(Codec.TryDecode(local[..k] + 'K' + local[(k + 1)..] + "\u0430", out _));
    }

    [Theory]
    [InlineData("not-hex-at-all-here!!")]
    [InlineData("0193A1B2C3D4E5F6A7B8")]
    [InlineData("0193a1b2c3d4e5f6a7b8c")]
    public void Only_the_relay_s_queue_ids_can_be_encoded(string queueId) =>
        Assert.Throws<ArgumentException>(() => Codec.EncodeLocalPart(new VerpToken(new QueueId(queueId), 0)));

    [Fact]
    public void Recipient_indexes_beyond_16_bits_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Codec.EncodeLocalPart(Sample with { RecipientIndex = 65536 }));

    [Fact]
    public void Queue_ids_made_by_the_relay_round_trip()
    {
        var id = QueueId.New(TimeProvider.System);

        Assert.True(Codec.TryDecode(Codec.EncodeLocalPart(new VerpToken(id, 99)), out var token));
        Assert.Equal(new VerpToken(id, 99), token);
    }
}
