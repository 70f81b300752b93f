using RelaySigner.Intake.Auth;

namespace RelaySigner.Tests.Intake;

public sealed class PasswordHashTests
{
    [Fact]
    public void A_hash_is_salted_pbkdf2_sha256_and_verifies_only_its_password()
    {
        var first = PasswordHash.Create("s3cret", iterations: 1000);
        var second = PasswordHash.Create("s3cret", iterations: 1000);

        Assert.Matches(@"^pbkdf2-sha256\$1000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$", first);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHash.Verify("s3cret", first));
        Assert.True(PasswordHash.Verify("s3cret", second));
        Assert.False(PasswordHash.Verify("s3cret ", first));
        Assert.False(PasswordHash.Verify("", first));
    }

    [Fact]
    public void The_default_cost_is_600000_iterations()
    {
        Assert.StartsWith("pbkdf2-sha256$600000$", PasswordHash.Create("pw"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("s3cret")]
    [InlineData("pbkdf2-sha1$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$1000$not base64$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    public void Anything_but_a_well_formed_hash_never_verifies(string encoded)
    {
        Assert.False(PasswordHash.IsWellFormed(encoded));
        Assert.False(PasswordHash.Verify("s3cret", encoded));
    }
}
