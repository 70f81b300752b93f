using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Inbound;

using RelaySigner.Dmarc;

namespace RelaySigner.Dmarc.Reports.Collection;

/// <summary>
/// Takes the inbound listener's mail for <c>Relay:Dmarc:ReportAddresses</c> (the domains' <c>rua</c> mailboxes) and
/// stores the reports attached; the message itself is not kept. A message without a readable report is logged and
/// dropped (a 250 all the same: the sender cannot do better by retrying); a store failure throws, so the listener
/// answers 451 and the reporter sends it again.
/// </summary>
public sealed class ReportMailHandler : IInboundRecipientHandler
{
    private readonly HashSet<string> _addresses;
    private readonly ReportMailImporter _importer;
    private readonly ILogger<ReportMailHandler> _logger;

    public ReportMailHandler(IOptions<DmarcOptions> options, ReportMailImporter importer, ILogger<ReportMailHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Local parts compared ignoring case too: they are our own mailboxes, and reporters copy them from DNS as typed.
        _addresses = new HashSet<string>(options.Value.ReportAddresses, StringComparer.OrdinalIgnoreCase);
        _importer = importer;
        _logger = logger;
    }

    public bool Owns(string recipient) => _addresses.Contains(recipient);

    public async Task HandleAsync(InboundMessage message, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var source = $"mail from <{message.Sender}>";
        try
        {
            await _importer.ImportAsync(message.Content, source, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidReportException ex)
        {
            ReportCollectionLog.MailUnusable(_logger, message.Sender, message.ClientAddress?.ToString() ?? "unknown", ex.Message);
        }
    }
}
