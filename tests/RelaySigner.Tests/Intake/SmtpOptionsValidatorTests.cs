using RelaySigner.Intake;

namespace RelaySigner.Tests.Intake;

public sealed class SmtpOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new SmtpOptionsValidator().Validate(null, new SmtpOptions()).Succeeded);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new SmtpOptions
        {
            SubmissionPort = 587,
            AllowedNetworks = ["10.0.0.0/33"],
            Clients = [new ClientNetworkOptions { Networks = ["nonsense"] }],
            Users = [new SmtpUserOptions { Name = "app", PasswordHash = "plaintext" }],
            MaxRecipients = 0,
            DataTimeout = TimeSpan.Zero,
            MaxDataTime = TimeSpan.Zero,
        };

        var failures = new SmtpOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("need a certificate"));
        Assert.Contains(failures, f => f.Contains("AllowedNetworks '10.0.0.0/33'"));
        Assert.Contains(failures, f => f.Contains("Clients:0:Networks"));
        Assert.Contains(failures, f => f.Contains("Clients:0:AllowedFromDomains"));
        Assert.Contains(failures, f => f.Contains("Users:0:PasswordHash"));
        Assert.Contains(failures, f => f.Contains("Users:0:AllowedFromDomains"));
        Assert.Contains(failures, f => f.Contains("MaxRecipients"));
        Assert.Contains(failures, f => f.Contains("DataTimeout"));
        Assert.Contains(failures, f => f.Contains("MaxDataTime"));
    }
}
