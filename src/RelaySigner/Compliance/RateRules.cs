using System.Globalization;
using RelaySigner.Core.Feedback;
using RelaySigner.Dmarc.Checks;

namespace RelaySigner.Compliance;

/// <summary>The complaint and hard-bounce rates of a domain's mail judged against the lines receivers draw.</summary>
public static class RateRules
{
    public const string ComplaintSubject = "Complaint rate";
    public const string HardBounceSubject = "Hard-bounce rate";

    /// <summary>Gmail's sender guidelines: keep the spam rate under 0.1 % and never let it reach 0.3 %.</summary>
    public const double ComplaintWarn = 0.001;

    /// <inheritdoc cref="ComplaintWarn"/>
    public const double ComplaintFail = 0.003;

    /// <summary>
    /// No mailbox provider publishes a hard-bounce line; 2 % (warn) and 5 % (fail) are conservative choices of this
    /// relay: a list that bounces more than that is not being cleaned of dead addresses.
    /// </summary>
    public const double HardBounceWarn = 0.02;

    /// <inheritdoc cref="HardBounceWarn"/>
    public const double HardBounceFail = 0.05;

    public static CheckResult Complaints(FeedbackRates rates, string window) =>
        rates.Delivered + rates.HardBounces == 0 ? NoMail(ComplaintSubject, window) : Judge(ComplaintSubject, rates.ComplaintRate, ComplaintWarn, ComplaintFail,
            $"{rates.Complaints} complaints for {rates.Delivered} delivered {window}");

    public static CheckResult HardBounces(FeedbackRates rates, string window) =>
        rates.Delivered + rates.HardBounces == 0 ? NoMail(HardBounceSubject, window) : Judge(HardBounceSubject, rates.HardBounceRate, HardBounceWarn, HardBounceFail,
            $"{rates.HardBounces} hard bounces for {rates.Delivered + rates.HardBounces} recipients tried {window}");

    /// <summary>A rate of nothing says nothing: no mail of the domain was delivered or bounced in the window.</summary>
    private static CheckResult NoMail(string subject, string window) =>
        new(subject, CheckStatus.Warn, $"no mail of this domain delivered or hard-bounced {window}: nothing to judge yet");

    private static CheckResult Judge(string subject, double rate, double warn, double fail, string counts)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{rate * 100:0.###} % ({counts})");
        return rate >= fail ? new(subject, CheckStatus.Fail, string.Create(CultureInfo.InvariantCulture, $"{text}: at or above {fail * 100:0.#} %"))
            : rate >= warn ? new(subject, CheckStatus.Warn, string.Create(CultureInfo.InvariantCulture, $"{text}: at or above {warn * 100:0.#} %, keep it lower"))
            : new(subject, CheckStatus.Pass, string.Create(CultureInfo.InvariantCulture, $"{text}: under {warn * 100:0.#} %"));
    }
}
