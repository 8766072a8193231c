using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Access;

namespace ContentWatch.Web.Desk.Pages;

public sealed class SignInModel(UserService users, ILogger<SignInModel> logger) : PageModel
{
    public string? Message { get; private set; }

    public string? Username { get; private set; }

    public string ReturnUrl { get; private set; } = "/desk/queue";

    public void OnGet(string? returnUrl) => ReturnUrl = SafeReturn(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? username, string? password, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = SafeReturn(returnUrl);
        Username = username?.Trim();
        var result = await users.SignInAsync(Username ?? "", password ?? "", cancellationToken);
        switch (result.Outcome)
        {
            case SignInOutcome.SignedIn:
                await HttpContext.SignInAsync(DeskAccess.Scheme, DeskAccess.Principal(result.User!));
                logger.LogInformation("Desk sign-in by {User}", result.User!.Username);
                return LocalRedirect(ReturnUrl);
            case SignInOutcome.LockedOut:
                logger.LogWarning("Desk sign-in refused: account locked");
                Message = string.Create(CultureInfo.InvariantCulture,
                    $"This account is locked after repeated failed sign-ins, until {result.LockedUntil:HH:mm} UTC.");
                break;
            default:
                Message = "The user name or password is wrong.";
                break;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    /// <summary>Only a path on this site under /desk: never an open redirect.</summary>
    private static string SafeReturn(string? returnUrl) =>
        returnUrl is not null && returnUrl.StartsWith("/desk", StringComparison.Ordinal) && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.Contains('\\', StringComparison.Ordinal)
            ? returnUrl
            : "/desk/queue";
}
