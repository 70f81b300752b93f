using System.Net;

namespace RelaySigner.Intake.Policy;

/// <summary>A network whose clients may relay without AUTH, and the From domains they may use (null: any).</summary>
public sealed record NetworkGrant(IPNetwork Network, IReadOnlyList<string>? FromDomains);
