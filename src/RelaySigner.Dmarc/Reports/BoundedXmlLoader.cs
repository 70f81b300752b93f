using System.Xml;
using System.Xml.Linq;

namespace RelaySigner.Dmarc.Reports;

/// <summary>
/// Builds a report's element tree from an <see cref="XmlReader"/>, refusing nesting deeper than a limit. Written by
/// hand rather than with <c>XDocument.Load</c>, which has no depth limit and walks from every node it adds up to the
/// root (its guard against adding an ancestor to itself): quadratic in the depth, 15 s for 100,000 nested elements.
/// With the depth bounded that walk is a few steps and loading is linear. Only what the parser reads is kept:
/// elements and their text.
/// </summary>
internal static class BoundedXmlLoader
{
    public static XElement LoadRoot(XmlReader reader, int maxDepth, string source)
    {
        XElement? root = null;
        var open = new Stack<XElement>();
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (reader.Depth >= maxDepth)
                    {
                        throw new InvalidReportException($"{source}: elements nested more than {maxDepth} levels deep (a DMARC aggregate report needs 5); refusing it");
                    }

                    var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                    if (open.TryPeek(out var parent))
                    {
                        parent.Add(element);
                    }
                    else
                    {
                        root = element;
                    }

                    if (!reader.IsEmptyElement)
                    {
                        open.Push(element);
                    }

                    break;
                case XmlNodeType.EndElement:
                    open.Pop();
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace when open.TryPeek(out var container):
                    // As a string, an element's only text is kept inline, without a node of its own (as XDocument.Load does).
                    container.Add(reader.Value);
                    break;
            }
        }

        return root ?? throw new InvalidReportException($"{source}: no XML element");
    }
}
