using System.Runtime.CompilerServices;
using System.Text;

namespace RelaySigner.Admin.Dashboard;

/// <summary>
/// Builds an HTML page from interpolated strings in which the literal text is markup and every value is encoded:
/// <c>html.Add($"&lt;td&gt;{source.OrgName}&lt;/td&gt;")</c> cannot inject markup whatever a report says. Only a
/// <see cref="HtmlFragment"/> (markup made by this writer or from literals) goes in as it is.
/// </summary>
/// <remarks>
/// Chosen over Razor components or pages: those need the Razor SDK and MVC or Blazor services in the admin listener's
/// small Kestrel app, for three pages; an interpolated-string handler gives the same guarantee (values are encoded
/// unless explicitly markup) with the compiler checking it, and nothing else loaded.
/// </remarks>
public sealed class HtmlWriter
{
    private readonly StringBuilder _text = new(16 * 1024);

    public void Add([InterpolatedStringHandlerArgument("")] ref HtmlInterpolation html)
    {
        // The handler has written into _text already.
    }

    public void Add(HtmlFragment fragment) => _text.Append(fragment.Markup);

    internal StringBuilder Text => _text;

    public HtmlFragment ToFragment() => new(_text.ToString());

    public override string ToString() => _text.ToString();
}
