using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Admin.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> against <see cref="AdminToken"/>, for scripts and Prometheus. Wrong
/// tokens count against the same per-IP allowance as wrong passwords; once it is used up even the right one is refused
/// until the failures age out.
/// </summary>
internal sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AdminToken token,
    AuthFailureThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "AdminToken";
    public const string Prefix = "Bearer ";

    private readonly ILogger _log = loggerFactory.CreateLogger<AdminTokenAuthenticationHandler>();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var client = Context.Connection.RemoteIpAddress;
        if (throttle.IsBlocked(client))
        {
            AdminLog.LoginThrottled(_log, client?.ToString());
            return Task.FromResult(AuthenticateResult.Fail("too many failed logins"));
        }

        if (token.Matches(header[Prefix.Length..].Trim()))
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "token")], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }

        AdminLog.TokenRefused(_log, client?.ToString());
        throttle.RecordFailure(client);
        return Task.FromResult(AuthenticateResult.Fail("wrong token"));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return Task.CompletedTask;
    }
}
