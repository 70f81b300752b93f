using RelaySigner.Core.Feedback;
using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Queue;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Admin.Dashboard;

/// <summary>
/// What the pages read, handed from the relay's services to the admin listener's own small app. The report store
/// and the feedback rates are optional: without them the pages say so and show the rest.
/// </summary>
public sealed record DashboardSources(
    IReportStore? Reports,
    IQueueAdministration Queue,
    IFeedbackRates? Feedback,
    DkimKeyStore Keys,
    SourceClassifier Classifier,
    PtrNames Ptr,
    PublishedRecords Records,
    TimeProvider Time)
{
    /// <summary>How long a page waits for PTR names and DMARC records together before it shows what it has.</summary>
    public static readonly TimeSpan DnsBudget = TimeSpan.FromMilliseconds(100);

    public DateOnly Today => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
}
