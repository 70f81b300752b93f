using RelaySigner.Intake.Policy;

namespace RelaySigner.Tests.Intake;

public sealed class EnvelopeRecipientComparerTests
{
    [Theory]
    [InlineData("ann@example.org", "ann@example.org", true)]
    [InlineData("ann@example.org", "ann@EXAMPLE.Org", true)]
    [InlineData("\"a@b\"@example.org", "\"a@b\"@Example.org", true)]
    [InlineData("ann@example.org", "Ann@example.org", false)]
    [InlineData("ann@example.org", "ann@example.net", false)]
    [InlineData("ann@example.org", "ann.b@example.org", false)]
    public void The_domain_is_compared_without_case_and_the_local_part_exactly(string x, string y, bool same)
    {
        var comparer = EnvelopeRecipientComparer.Instance;

        Assert.Equal(same, comparer.Equals(x, y));
        if (same)
        {
            Assert.Equal(comparer.GetHashCode(x), comparer.GetHashCode(y));
        }
    }

    [Fact]
    public void Distinct_keeps_the_first_spelling_of_each_recipient()
    {
        string[] given = ["ann@example.org", "bob@example.org", "ann@EXAMPLE.org", "Ann@example.org", "ann@example.org"];

        Assert.Equal(["ann@example.org", "bob@example.org", "Ann@example.org"], given.Distinct(EnvelopeRecipientComparer.Instance));
    }
}
