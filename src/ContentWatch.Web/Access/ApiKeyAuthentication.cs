using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Access;

namespace ContentWatch.Web.Access;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against the stored key hashes.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string PlatformClaim = "contentwatch:platform";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Use 'Authorization: Bearer <key>'.");
        }

        var key = header["Bearer ".Length..].Trim();
        var info = await keys.FindAsync(key, Context.RequestAborted);
        if (info is null)
        {
            return AuthenticateResult.Fail("Unknown API key.");
        }

        List<Claim> claims = [new(ClaimTypes.NameIdentifier, "key:" + info.Id), new(ClaimTypes.Role, info.Role)];
        if (info.Platform is not null)
        {
            claims.Add(new Claim(PlatformClaim, info.Platform));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}

public static class AccessPolicies
{
    public const string Intake = "intake";
    public const string Officer = "officer";
    public const string Platform = "platform";
    public const string Admin = "admin";

    /// <summary>Reporting on a referral: its platform, or an admin; officers read referrals but do not report for platforms.</summary>
    public const string PlatformReport = "platform-report";

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Intake, p => p.RequireRole(Roles.Intake, Roles.Admin));
        options.AddPolicy(Officer, p => p.RequireRole(Roles.Officer, Roles.Admin));
        options.AddPolicy(Platform, p => p.RequireRole(Roles.Officer, Roles.Platform, Roles.Admin));
        options.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(PlatformReport, p => p.RequireRole(Roles.Platform, Roles.Admin));
    }

    /// <summary>The caller's id as recorded in audits (<c>key:ID</c>).</summary>
    public static string Actor(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";

    /// <summary>Officers and admins see every platform; a platform key sees only its own.</summary>
    public static bool MaySee(this ClaimsPrincipal user, string platform) =>
        !user.IsInRole(Roles.Platform) || string.Equals(user.FindFirstValue(ApiKeyAuthenticationHandler.PlatformClaim), platform, StringComparison.OrdinalIgnoreCase);
}
