using RelaySigner.Admin;
using RelaySigner.Core.Feedback;
using RelaySigner.Delivery;
using RelaySigner.Dmarc;
using RelaySigner.Feedback;
using RelaySigner.Feedback.Bulk;
using RelaySigner.Feedback.Unsubscribe;
using RelaySigner.Intake;
using RelaySigner.Intake.Inbound;
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
        [EventsOptions.SectionName] = typeof(EventsOptions),
        [DmarcOptions.SectionName] = typeof(DmarcOptions),
        [InboundOptions.SectionName] = typeof(InboundOptions),
        [UnsubscribeOptions.SectionName] = typeof(UnsubscribeOptions),
        [BulkOptions.SectionName] = typeof(BulkOptions),
    };
}
