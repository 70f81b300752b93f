using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;

namespace RelaySigner.Admin.Dashboard;

/// <summary>The handler behind <see cref="HtmlWriter.Add(ref HtmlInterpolation)"/>: literals as markup, holes encoded.</summary>
[InterpolatedStringHandler]
public readonly ref struct HtmlInterpolation
{
    private readonly HtmlWriter _writer;

    public HtmlInterpolation(int literalLength, int formattedCount, HtmlWriter writer)
    {
        _ = literalLength;
        _ = formattedCount;
        _writer = writer;
    }

    public void AppendLiteral(string markup) => _writer.Text.Append(markup);

    public void AppendFormatted(HtmlFragment fragment) => _writer.Text.Append(fragment.Markup);

    public void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public void AppendFormatted<T>(T value, string? format)
    {
        var text = value switch
        {
            null => string.Empty,
            IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
        // HtmlEncoder encodes <, >, &, both quotes and everything outside Basic Latin: safe in text and in quoted attributes.
        HtmlEncoder.Default.Encode(new StringWriter(_writer.Text, CultureInfo.InvariantCulture), text);
    }
}
