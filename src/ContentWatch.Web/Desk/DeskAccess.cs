using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using ContentWatch.Core.Access;

namespace ContentWatch.Web.Desk;

/// <summary>The desk's cookie sign-in and its two policies: review (every desk role) and oversight (supervisors, admins).</summary>
public static class DeskAccess
{
    public const string Scheme = "DeskCookie";
    public const string CookieName = "cw_desk";
    public const string Review = "desk-review";
    public const string Oversight = "desk-oversight";

    /// <summary>The account's security stamp when the cookie was issued; a cookie with an older one is refused.</summary>
    public const string StampClaim = "contentwatch:stamp";

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(Review, p => p.AddAuthenticationSchemes(Scheme).RequireRole(Roles.DeskRoles));
        options.AddPolicy(Oversight, p => p.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Supervisor, Roles.Admin));
    }

    public static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = "/";
        options.ExpireTimeSpan = TimeSpan.FromHours(10);
        options.SlidingExpiration = true;
        options.LoginPath = "/desk/sign-in";
        options.LogoutPath = "/desk/sign-out";
        options.AccessDeniedPath = "/desk/denied";
        options.ReturnUrlParameter = "returnUrl";
        options.Events.OnValidatePrincipal = ValidateSessionAsync;
    }

    /// <summary>
    /// On every request with a desk cookie: the account must still exist, not be locked by an admin, and carry the stamp
    /// the cookie was issued with (sign-out, <c>users lock</c>, a password reset and a lock-out each change it).
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserService>();
        var name = context.Principal?.FindFirstValue(ClaimTypes.Name);
        if (name is null || !await users.IsSessionValidAsync(name, context.Principal!.FindFirstValue(StampClaim), context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    /// <summary>The principal of a signed-in desk user; the actor in audits is <c>user:NAME</c>.</summary>
    public static ClaimsPrincipal Principal(DeskUser user) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, "user:" + user.Username), new Claim(ClaimTypes.Name, user.Username), new Claim(ClaimTypes.Role, user.Role),
                new Claim(StampClaim, user.SecurityStamp),
            ],
            Scheme));

    public static bool MayOversee(this ClaimsPrincipal user) => user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin);

    /// <summary>True when the request carries a desk cookie of an admin (for the Hangfire dashboard).</summary>
    public static async Task<bool> IsDeskAdminAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(Scheme);
        return result.Succeeded && result.Principal.IsInRole(Roles.Admin);
    }
}
