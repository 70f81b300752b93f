using RelaySigner.Admin;
using RelaySigner.Delivery;
using RelaySigner.Dmarc.Reports.Collection;
using RelaySigner.Feedback;
using RelaySigner.Intake;
using RelaySigner.Queue;
using RelaySigner.Signing;

namespace RelaySigner.Configuration;

/// <summary>
/// Every <c>Relay:</c> section and the options class it binds to: what <see cref="UnknownSettings"/> checks keys
/// against. A stage that binds a new section adds it here (a test finds a bound options class missing from this list).
/// </summary>
public static class RelaySettingsSchema
{
    public const string Root = "Relay";

    public static IReadOnlyDictionary<string, Type> Sections { get; } = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [SmtpOptions.SectionName] = typeof(SmtpOptions),
        [DkimOptions.SectionName] = typeof(DkimOptions),
        [QueueOptions.SectionName] = typeof(QueueOptions),
        [DeliveryOptions.SectionName] = typeof(DeliveryOptions),
        [AdminOptions.SectionName] = typeof(AdminOptions),
        [ShutdownOptions.SectionName] = typeof(ShutdownOptions),
        [MetricsOptions.SectionName] = typeof(MetricsOptions),
        [BounceOptions.SectionName] = typeof(BounceOptions),
        [DmarcReportOptions.SectionName] = typeof(DmarcReportOptions),
    };
}
