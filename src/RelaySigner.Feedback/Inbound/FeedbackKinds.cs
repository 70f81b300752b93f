using System.Text.Json;
using RelaySigner.Core.Feedback;
using RelaySigner.Feedback.Parsing;

namespace RelaySigner.Feedback.Inbound;

/// <summary>The names events and logs give kinds and reasons, as <c>bounces parse</c> prints them: <c>hard</c>,
/// <c>auth-failure</c>, <c>hard-bounce</c>…</summary>
public static class FeedbackKinds
{
    public static string Name(FeedbackKind kind) => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());

    public static string Name(SuppressionReason reason) => JsonNamingPolicy.KebabCaseLower.ConvertName(reason.ToString());
}
