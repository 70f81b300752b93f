using System.Net;

namespace RelaySigner.Unsubscribe;

/// <summary>
/// The pages of the unsubscribe endpoint: plain HTML, no script, nothing loaded from elsewhere. They name the
/// sending domain, never the address: a link forwarded or shown to someone else reveals no one.
/// </summary>
internal static class UnsubscribePages
{
    /// <summary>What a GET shows: a button that POSTs the one-click body to the same URL (the form's empty action).</summary>
    public static string Confirm(string domain) => Page(
        "Unsubscribe",
        $"""
        <p>Stop receiving this kind of mail from {WebUtility.HtmlEncode(domain)}?</p>
        <form method="post" action=""><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
        """);

    public static string Done(string domain) => Page(
        "Unsubscribed",
        $"<p>You will no longer receive this kind of mail from {WebUtility.HtmlEncode(domain)}.</p>");

    private static string Page(string title, string body) =>
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>{title}</title></head>
        <body><h1>{title}</h1>
        {body}
        </body></html>

        """;
}
