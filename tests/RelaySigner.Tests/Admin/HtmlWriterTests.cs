using RelaySigner.Admin.Dashboard;

namespace RelaySigner.Tests.Admin;

public sealed class HtmlWriterTests
{
    [Fact]
    public void Every_value_is_encoded_and_only_literals_and_fragments_are_markup()
    {
        var html = new HtmlWriter();
        var hostile = "<script>alert('x')</script> & \"quoted\"";
        var fragment = new HtmlWriter();
        fragment.Add($"<b>{hostile}</b>");

        html.Add($"<td title=\"{hostile}\">{hostile}</td>{fragment.ToFragment()}{1234.5:0.0}{(string?)null}");

        Assert.Equal(
            "<td title=\"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;\">&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;</td>" +
            "<b>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;</b>1234.5",
            html.ToString());
    }

    [Fact]
    public void Numbers_are_written_the_same_in_every_culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var html = new HtmlWriter();
            html.Add($"{0.5:0.0}");
            Assert.Equal("0.5", html.ToString());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
