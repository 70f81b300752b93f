using MimeKit;

namespace RelaySigner.Feedback.Parsing;

/// <summary>
/// Finds the machine-readable part of a report wherever the sender put it (directly in multipart/report, or nested one
/// level further by a forwarder), not looking inside an attached message and not deeper than the limit.
/// </summary>
internal static class ReportParts
{
    public static MimePart? Find(MimeEntity? entity, Func<ContentType, bool> wanted, FeedbackLimits limits, int depth = 0)
    {
        if (entity is null || depth > limits.MaxMimeDepth)
        {
            return null;
        }

        return entity switch
        {
            Multipart multipart => multipart.Select(child => Find(child, wanted, limits, depth + 1)).FirstOrDefault(found => found is not null),
            MimePart part when wanted(part.ContentType) => part,
            _ => null,
        };
    }
}
