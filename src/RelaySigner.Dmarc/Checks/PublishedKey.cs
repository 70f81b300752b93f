using Org.BouncyCastle.Crypto;
using RelaySigner.Core.Signing;

namespace RelaySigner.Dmarc.Checks;

/// <summary>What was found at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>: the verdict, why, and the record when it parsed.</summary>
public sealed record PublishedKey(PublishedKeyVerdict Verdict, string Detail, DkimKeyRecord? Record, AsymmetricKeyParameter? Key);
