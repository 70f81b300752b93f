using System.Text;
using MimeKit;

namespace RelaySigner.Signing.Bulk;

/// <summary>The List-Unsubscribe and List-Unsubscribe-Post fields of bulk mail (RFC 8058).</summary>
internal static class UnsubscribeFields
{
    public const string OneClick = "List-Unsubscribe=One-Click";

    /// <summary>What the message brings of its own.</summary>
    public static UnsubscribeState StateOf(MimeMessage message)
    {
        var lists = message.Headers.Where(h => h.Field.Equals("List-Unsubscribe", StringComparison.OrdinalIgnoreCase)).ToList();
        var posts = message.Headers.Where(h => h.Field.Equals("List-Unsubscribe-Post", StringComparison.OrdinalIgnoreCase)).ToList();
        if (lists.Count == 0 && posts.Count == 0)
        {
            return UnsubscribeState.None;
        }

        // RFC 8058 §3.1: exactly one of each, the POST body named, and an HTTPS URI among the List-Unsubscribe URIs.
        return lists.Count == 1 && posts.Count == 1 &&
               posts[0].Value.Trim().Equals(OneClick, StringComparison.Ordinal) &&
               lists[0].Value.Contains("<https://", StringComparison.OrdinalIgnoreCase)
            ? UnsubscribeState.Usable
            : UnsubscribeState.Unusable;
    }

    /// <summary>Both fields, each ending with CRLF, to put above the received header fields.</summary>
    public static byte[] Build(string listUnsubscribe) =>
        Encoding.ASCII.GetBytes($"List-Unsubscribe: {listUnsubscribe}\r\nList-Unsubscribe-Post: {OneClick}\r\n");
}
