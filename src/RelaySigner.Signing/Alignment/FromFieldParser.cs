using System.Text;
using System.Text.RegularExpressions;
using MimeKit.Utils;
using RelaySigner.Core;

namespace RelaySigner.Signing.Alignment;

/// <summary>
/// Reads the one mailbox of a From field by a strict subset of RFC 5322 §3.4 (with RFC 6532 UTF-8) that mail
/// parsers agree on: <c>addr-spec</c>, or an optional display name (atoms, dots, quoted strings, encoded words)
/// then <c>&lt;addr-spec&gt;</c>, with white space and plain comments around them. MimeKit, Python's email package
/// and mail readers each repair malformed values their own way, so a value outside this subset is
/// refused rather than read: <c>ceo@victim.org &lt;alice@example.com&gt;</c> is example.com to MimeKit but
/// victim.org to Python; <c>&lt;alice@example.com&gt;@victim.org</c>, a second <c>&lt;…&gt;</c>, a source route
/// <c>&lt;@a.example:alice@example.com&gt;</c>, groups and a comment or encoded word hiding an address are all read
/// differently somewhere. Written by hand because MimeKit's own parser is the lenient reader this guards against.
/// </summary>
internal static partial class FromFieldParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="rawValue">The field's value as received, after the colon, folding and final CRLF included.</param>
    /// <returns>The mailbox's domain as written, or the refusal.</returns>
    public static (string? Domain, SmtpReply? Refusal) Parse(ReadOnlySpan<byte> rawValue)
    {
        string value;
        try
        {
            // Unfolding (RFC 5322 §2.2.3): intake has made sure every CRLF inside a field is followed by white space.
            value = StrictUtf8.GetString(rawValue).Replace("\r\n", string.Empty, StringComparison.Ordinal);
        }
        catch (DecoderFallbackException)
        {
            return (null, AuthorDomain.Ambiguous("bytes that are not UTF-8"));
        }

        try
        {
            return (new Reader(value).Domain(), null);
        }
        catch (RefusedException refused)
        {
            return (null, refused.Reply);
        }
    }

    private static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c) || (c > 0x7F && !char.IsControl(c));

    /// <summary>An RFC 2047 encoded word, its charset captured.</summary>
    [GeneratedRegex(@"=\?(?<charset>[^?\s]+)\?[bBqQ]\?[^?\s]*\?=")]
    private static partial Regex EncodedWord();

    /// <summary>
    /// Charsets in which @, &lt; or &gt; need not be their ASCII byte: Python decodes <c>=?utf-7?q?ceo+AEA-victim.org?=</c>
    /// to an address, MimeKit leaves it as it is, so the check below could not see what Python shows.
    /// </summary>
    [GeneratedRegex("^(utf-?7|utf-?16|utf-?32|ucs-?[24]|unicode)", RegexOptions.IgnoreCase)]
    private static partial Regex WideOrShiftedCharset();

    private static bool HasControl(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && c != '\t')
            {
                return true;
            }
        }

        return false;
    }

    private static int AddressCharacters(string text) => text.Count(c => c is '@' or '<' or '>');

    /// <summary>
    /// Encoded words are for display names only (RFC 2047 §5), and one that decodes to @, &lt; or &gt; shows an
    /// address to a reader that decodes before it parses; controls could fake a line break on display.
    /// </summary>
    private static void CheckEncodedWords(string displayName)
    {
        var words = EncodedWord().Matches(displayName);
        if (words.Count == 0)
        {
            return;
        }

        if (words.Any(w => WideOrShiftedCharset().IsMatch(w.Groups["charset"].Value)))
        {
            throw new RefusedException(AuthorDomain.Ambiguous("an encoded word in UTF-7, UTF-16 or UTF-32, which readers decode differently"));
        }

        var decoded = Rfc2047.DecodePhrase(Encoding.UTF8.GetBytes(displayName));
        if (AddressCharacters(decoded) > AddressCharacters(EncodedWord().Replace(displayName, string.Empty)) || HasControl(decoded))
        {
            throw new RefusedException(AuthorDomain.Ambiguous("an encoded word in the display name that decodes to an address or a control character"));
        }
    }

    private sealed class RefusedException(SmtpReply reply) : Exception
    {
        public SmtpReply Reply { get; } = reply;
    }

    private sealed class Reader(string text)
    {
        private int _at;

        private bool AtEnd => _at >= text.Length;

        private char Next => text[_at];

        public string Domain()
        {
            SkipSpaceAndComments();
            var start = _at;
            if (TryAddrSpec() is { } bare && AtEndAfterSpaceAndComments())
            {
                return bare;
            }

            // Not a bare addr-spec: read it again as [display-name] "<" addr-spec ">".
            _at = start;
            var nameHasBareAt = DisplayName();
            var displayName = text[start.._at];
            CheckEncodedWords(displayName);
            _at++; // '<'
            if (!AtEnd && Next == '@')
            {
                throw new RefusedException(AuthorDomain.Ambiguous("a source route (obsolete syntax)"));
            }

            var addressStart = _at;
            var address = TryAddrSpec();
            if (address is null || AtEnd || Next != '>')
            {
                throw new RefusedException(!AtEnd && Next is ' ' or '\t' or '('
                    ? AuthorDomain.Ambiguous("white space or a comment inside the angle brackets")
                    : AuthorDomain.Unparseable);
            }

            var addrSpec = text[addressStart.._at];
            _at++;
            if (nameHasBareAt && !displayName.Trim().Equals(addrSpec, StringComparison.OrdinalIgnoreCase))
            {
                throw new RefusedException(AuthorDomain.Ambiguous("an @ outside quotes and angle brackets"));
            }

            return AtEndAfterSpaceAndComments() ? address : throw new RefusedException(AuthorDomain.Ambiguous("text after the address"));
        }

        /// <summary>
        /// Reads up to the '&lt;' of the angle address; true when the name holds an unquoted @. That is refused unless
        /// the name is the very address in the brackets (<c>alice@example.com &lt;alice@example.com&gt;</c>, which many
        /// mailers write): then every reader finds the same domain, whichever of the two it takes.
        /// </summary>
        private bool DisplayName()
        {
            var bareAt = false;
            while (!AtEnd && Next != '<')
            {
                switch (Next)
                {
                    case '"':
                        QuotedString();
                        break;
                    case ' ' or '\t' or '(':
                        SkipSpaceAndComments();
                        break;
                    case '.':
                        _at++; // obsolete phrase syntax (RFC 5322 §4.1), common in names like "J. Smith"
                        break;
                    case '@':
                        bareAt = true;
                        _at++;
                        break;
                    case ',' or ':' or ';':
                        throw new RefusedException(AuthorDomain.SeveralMailboxes); // a list or a group
                    default:
                        if (!IsAtext(Next))
                        {
                            throw new RefusedException(AuthorDomain.Ambiguous("a character in the display name that must be quoted"));
                        }

                        _at++;
                        break;
                }
            }

            if (AtEnd)
            {
                throw new RefusedException(bareAt ? AuthorDomain.Ambiguous("an @ outside quotes and angle brackets") : AuthorDomain.Unparseable);
            }

            return bareAt;
        }

        /// <summary>local-part "@" domain with nothing in between (no white space, comments or obsolete forms).</summary>
        /// <returns>The domain, or null when no addr-spec starts here.</returns>
        private string? TryAddrSpec()
        {
            var start = _at;
            if (!AtEnd && Next == '"')
            {
                QuotedString();
            }
            else if (!DotAtomText())
            {
                return null;
            }

            var localPart = text[start.._at];
            if (AtEnd || Next != '@')
            {
                return null;
            }

            if (localPart.Contains('@'))
            {
                // "ceo@victim.org"@example.com: a reader that splits at the first @ shows victim.org.
                throw new RefusedException(AuthorDomain.Ambiguous("an @ inside a quoted local part"));
            }

            _at++;
            var domainStart = _at;
            if (!DotAtomText())
            {
                // Also a domain literal ([192.0.2.1]): no key is ever for one.
                throw new RefusedException(AuthorDomain.Unparseable);
            }

            if (text.AsSpan(start, _at - start).Contains("=?", StringComparison.Ordinal))
            {
                // Python's email package decodes alice@=?utf-8?q?victim.org?= to victim.org; MimeKit does not.
                throw new RefusedException(AuthorDomain.Ambiguous("an encoded word in the address"));
            }

            return text[domainStart.._at];
        }

        private bool DotAtomText()
        {
            var start = _at;
            while (!AtEnd && (IsAtext(Next) || (Next == '.' && _at > start && text[_at - 1] != '.')))
            {
                _at++;
            }

            return _at > start && text[_at - 1] != '.';
        }

        private void QuotedString()
        {
            _at++;
            while (!AtEnd && Next != '"')
            {
                if (Next == '\\')
                {
                    _at++;
                }

                if (AtEnd || HasControl(text.AsSpan(_at, 1)))
                {
                    throw new RefusedException(AtEnd ? AuthorDomain.Unparseable : AuthorDomain.Ambiguous("a control character in a quoted string"));
                }

                _at++;
            }

            if (AtEnd)
            {
                throw new RefusedException(AuthorDomain.Unparseable);
            }

            _at++;
        }

        /// <summary>Comments may not nest, escape or hold an @: readers show them as the name, or drop them.</summary>
        private void SkipSpaceAndComments()
        {
            while (!AtEnd && Next is ' ' or '\t' or '(')
            {
                if (Next != '(')
                {
                    _at++;
                    continue;
                }

                var end = text.IndexOf(')', _at);
                if (end < 0 || text.AsSpan(_at + 1, end - _at - 1).IndexOfAny("()\\@") >= 0 || HasControl(text.AsSpan(_at, end - _at)))
                {
                    throw new RefusedException(AuthorDomain.Ambiguous("a comment that holds an @, a nested comment, an escape or a control character"));
                }

                _at = end + 1;
            }
        }

        private bool AtEndAfterSpaceAndComments()
        {
            SkipSpaceAndComments();
            if (!AtEnd && Next == ',')
            {
                throw new RefusedException(AuthorDomain.SeveralMailboxes);
            }

            return AtEnd;
        }
    }
}
