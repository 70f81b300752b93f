using System.IO.Compression;
using System.Runtime.InteropServices;
using MimeKit;

namespace RelaySigner.Dmarc.Reports;

/// <summary>
/// Opens what reporters send: plain XML, gzip, zip, or the e-mail that carries one of those as an attachment.
/// The format is told by the content, not the file name. Only regular files are read, and every layer is bounded by
/// <see cref="ReportLimits"/>. Whatever is wrong with a file, it fails with an <see cref="InvalidReportException"/>
/// naming it, so the caller can go on with the next one.
/// </summary>
public sealed class ReportFileReader(ReportLimits limits)
{
    public IReadOnlyList<AggregateReport> Read(string path) => ReadBounded(ReadFile(path), path);

    /// <summary>
    /// The reports a received mail message carries (by SMTP or IMAP), under the same limits as a file: the message
    /// as a whole is bounded by <see cref="ReportLimits.MaxFileBytes"/>. <paramref name="source"/> names it in errors.
    /// </summary>
    public IReadOnlyList<AggregateReport> ReadMessage(ReadOnlyMemory<byte> message, string source)
    {
        if (message.Length > limits.MaxFileBytes)
        {
            throw new InvalidReportException($"{source}: over the {limits.MaxFileBytes}-byte limit for a report message; refusing it");
        }

        return ReadBounded(message, source);
    }

    private IReadOnlyList<AggregateReport> ReadBounded(ReadOnlyMemory<byte> content, string source)
    {
        try
        {
            return ReadContent(content, source, allowMessage: true);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or IOException)
        {
            // A corrupt gzip trailer or zip directory, an encrypted or unsupported zip entry.
            throw new InvalidReportException($"{source}: damaged or unsupported archive ({ex.Message})", ex);
        }
    }

    private byte[] ReadFile(string path)
    {
        var (file, length) = RegularFile.OpenRead(path);
        var tooLarge = $"{path}: over the {limits.MaxFileBytes}-byte limit for a report file; refusing it";
        if (length > limits.MaxFileBytes)
        {
            file.Dispose();
            throw new InvalidReportException(tooLarge);
        }

        using var bounded = new BoundedReadStream(file, limits.MaxFileBytes, tooLarge);
        using var content = new MemoryStream((int)length);
        try
        {
            bounded.CopyTo(content);
        }
        catch (IOException ex)
        {
            throw new InvalidReportException($"{path}: cannot be read ({ex.Message})", ex);
        }

        return content.ToArray();
    }

    private List<AggregateReport> ReadContent(ReadOnlyMemory<byte> content, string source, bool allowMessage)
    {
        return content.Span switch
        {
            [0x1F, 0x8B, ..] => [ParseXml(new GZipStream(AsStream(content), CompressionMode.Decompress), source)],
            [(byte)'P', (byte)'K', 3, 4, ..] => ReadZip(content, source),
            _ when LooksLikeXml(content.Span) => [ParseXml(AsStream(content), source)],
            _ when allowMessage => ReadMailMessage(content, source),
            _ => throw new InvalidReportException($"{source}: neither XML, gzip nor zip"),
        };
    }

    /// <summary>A read-only stream over the bytes, without copying them when they are an array's (as they always are here).</summary>
    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    private List<AggregateReport> ReadZip(ReadOnlyMemory<byte> content, string source)
    {
        using var archive = new ZipArchive(AsStream(content), ZipArchiveMode.Read);
        if (archive.Entries.Count > limits.MaxArchiveEntries)
        {
            throw new InvalidReportException($"{source}: zip holds {archive.Entries.Count} entries, over the limit of {limits.MaxArchiveEntries}");
        }

        return [.. archive.Entries
            .Where(entry => entry.Name.Length > 0)
            .Select(entry => ParseXml(entry.Open(), $"{source}!{entry.FullName}"))];
    }

    /// <summary>An .eml: every attachment that is a report (reporters send one; we accept several).</summary>
    private List<AggregateReport> ReadMailMessage(ReadOnlyMemory<byte> content, string source)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(AsStream(content));
        }
        catch (FormatException ex)
        {
            throw new InvalidReportException($"{source}: neither XML, gzip, zip nor a mail message", ex);
        }

        var reports = new List<AggregateReport>();
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            if (part.Content is not { } body)
            {
                continue;
            }

            using var decoded = new MemoryStream();
            // Decoded attachments are smaller than the message, which the file limit already bounds.
            body.DecodeTo(decoded);
            var bytes = decoded.ToArray();
            if (bytes is [0x1F, 0x8B, ..] or [(byte)'P', (byte)'K', 3, 4, ..] || LooksLikeXml(bytes))
            {
                reports.AddRange(ReadContent(bytes, $"{source}!{part.FileName ?? "attachment"}", allowMessage: false));
            }
        }

        return reports.Count > 0 ? reports : throw new InvalidReportException($"{source}: mail message carries no report attachment");
    }

    private AggregateReport ParseXml(Stream xml, string source)
    {
        using var bounded = new BoundedReadStream(xml, limits.MaxXmlBytes, $"{source} is larger than {limits.MaxXmlBytes} bytes when decompressed; refusing it");
        return AggregateReportParser.Parse(bounded, source, limits);
    }

    private static bool LooksLikeXml(ReadOnlySpan<byte> content)
    {
        var text = content;
        if (text.StartsWith("\uFEFF"u8))
        {
            text = text[3..];
        }

        text = text.TrimStart(" \t\r\n"u8);
        return text.Length > 0 && text[0] == (byte)'<';
    }
}
