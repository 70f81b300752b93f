using System.Net;

namespace RelaySigner.Intake.Policy;

/// <summary>A network whose clients may relay without AUTH, the From domains they may use (null: any), and whether
/// what they send is bulk mail.</summary>
public sealed record NetworkGrant(IPNetwork Network, IReadOnlyList<string>? FromDomains, bool Bulk = false);
