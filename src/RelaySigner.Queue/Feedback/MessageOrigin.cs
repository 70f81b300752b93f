namespace RelaySigner.Queue.Feedback;

/// <summary>What the queue noted at intake about a message's origin, read with the lease check of an attempt (same
/// row, no extra statement) for the attempt's events, suppressions and counts.</summary>
/// <param name="MessageId">The Message-ID header value, or null.</param>
/// <param name="FromDomain">The header From domain, or null (a message the relay wrote itself, or one queued by an
/// older build).</param>
/// <param name="OrganizationalDomain">The From domain's organisational domain, or null.</param>
internal readonly record struct MessageOrigin(string? MessageId, string? FromDomain, string? OrganizationalDomain);
