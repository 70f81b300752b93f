namespace RelaySigner.Admin.Dashboard;

/// <summary>Markup that is already safe: written by <see cref="HtmlWriter"/>, whose values are encoded.</summary>
public readonly record struct HtmlFragment(string Markup)
{
    public static HtmlFragment Empty { get; } = new(string.Empty);

    public override string ToString() => Markup;
}
