using System.Text;

namespace RelaySigner.Benchmarks.Memory;

/// <summary>
/// A realistic large message from example.com (signed with the demo key): multipart/mixed with a short text part and
/// one big base64 attachment of random bytes, in 76-character CRLF lines (RFC 2045 §6.8), as mail clients send it.
/// No line starts with '.', so the bytes after DATA need no dot-stuffing and are exactly what the sink receives.
/// </summary>
internal sealed class LargeMessage
{
    private const string Boundary = "=_memory_benchmark_boundary";

    private LargeMessage(byte[] content) => Content = content;

    /// <param name="declareSize">Declare the size with MAIL FROM (RFC 1870), as MTAs and MailKit do when the server offers SIZE.</param>
    public byte[] Envelope(bool declareSize) =>
        Encoding.ASCII.GetBytes(
            $"MAIL FROM:<memory@example.com>{(declareSize ? $" SIZE={Content.Length}" : string.Empty)}\r\n" +
            "RCPT TO:<sink@example.org>\r\nDATA\r\n");

    /// <summary>The message as the client sends it and the receiver must get it back (after the relay's own headers).</summary>
    public byte[] Content { get; }

    /// <summary>The bytes after DATA: the content and the end-of-data line.</summary>
    public byte[] DataWithTerminator => [.. Content, .. ".\r\n"u8];

    /// <param name="size">About how many bytes the message has; the attachment takes what the headers leave.</param>
    public static LargeMessage Create(long size)
    {
        var head = Encoding.ASCII.GetBytes(
            "From: Memory <memory@example.com>\r\nTo: <sink@example.org>\r\nSubject: a large attachment\r\n" +
            "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <memory@example.com>\r\nMIME-Version: 1.0\r\n" +
            $"Content-Type: multipart/mixed; boundary=\"{Boundary}\"\r\n\r\n" +
            $"--{Boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThe report is attached.\r\n\r\n" +
            $"--{Boundary}\r\nContent-Type: application/octet-stream; name=\"report.bin\"\r\n" +
            "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"report.bin\"\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n");

        // 57 raw bytes make one 76-character base64 line.
        var lines = Math.Max(1, (size - head.Length - tail.Length) / 78);
        var raw = new byte[57];
        var random = new Random(8);
        var content = new byte[head.Length + (lines * 78) - 2 + tail.Length];
        head.CopyTo(content, 0);
        var at = head.Length;
        for (var i = 0; i < lines; i++)
        {
            random.NextBytes(raw);
            if (i > 0)
            {
                content[at++] = (byte)'\r';
                content[at++] = (byte)'\n';
            }

            at += Encoding.ASCII.GetBytes(Convert.ToBase64String(raw), content.AsSpan(at));
        }

        tail.CopyTo(content, at);
        return new LargeMessage(content);
    }
}
