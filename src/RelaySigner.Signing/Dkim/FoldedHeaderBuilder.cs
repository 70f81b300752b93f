using System.Text;

namespace RelaySigner.Signing.Dkim;

/// <summary>Writes a header field of tags, folding before a piece that would run past 78 characters (RFC 5322 §2.1.1).</summary>
internal sealed class FoldedHeaderBuilder(string name)
{
    private const int LineLimit = 78;
    private const string Fold = "\r\n\t";

    private readonly StringBuilder _text = new StringBuilder(512).Append(name).Append(':');
    private int _lineLength = name.Length + 1;

    /// <summary>Appends <paramref name="piece"/>, after a space or, when it does not fit, on a new folded line.</summary>
    public FoldedHeaderBuilder Append(string piece, bool spaceBefore = true)
    {
        if (_lineLength + piece.Length + 1 > LineLimit)
        {
            _text.Append(Fold);
            _lineLength = 1;
        }
        else if (spaceBefore)
        {
            _text.Append(' ');
            _lineLength++;
        }

        _text.Append(piece);
        _lineLength += piece.Length;
        return this;
    }

    public FoldedHeaderBuilder Tag(string tag, string value) => Append($"{tag}={value};");

    /// <summary>A colon-separated list (h=), folded between names where needed.</summary>
    public FoldedHeaderBuilder List(string tag, IReadOnlyList<string> values)
    {
        Append($"{tag}={values[0]}{(values.Count == 1 ? ";" : ":")}");
        for (var i = 1; i < values.Count; i++)
        {
            Append(values[i] + (i == values.Count - 1 ? ";" : ":"), spaceBefore: false);
        }

        return this;
    }

    /// <summary>A long value without separators (b=), cut into line-sized chunks; folding white space inside b= is ignored by verifiers (RFC 6376 §3.5).</summary>
    public FoldedHeaderBuilder Chunked(string value)
    {
        for (var offset = 0; offset < value.Length;)
        {
            var room = LineLimit - _lineLength;
            if (room <= 0)
            {
                _text.Append(Fold);
                _lineLength = 1;
                continue;
            }

            var take = Math.Min(room, value.Length - offset);
            _text.Append(value, offset, take);
            _lineLength += take;
            offset += take;
        }

        return this;
    }

    public override string ToString() => _text.ToString();
}
