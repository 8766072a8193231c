using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Access;

namespace ContentWatch.Web.Desk.Pages;

public sealed class SignInModel(UserService users, ILogger<SignInModel> logger) : PageModel
{
    /// <summary>The one answer to every refused sign-in: it does not tell an unknown name from a locked account.</summary>
    public static readonly string Refused =
        $"The user name or password is wrong, or the account is locked (after {UserService.MaxFailures} failed sign-ins, for {UserService.LockOut.TotalMinutes:0} minutes).";

    public string? Message { get; private set; }

    public string? Username { get; private set; }

    public string ReturnUrl { get; private set; } = "/desk/queue";

    public void OnGet(string? returnUrl) => ReturnUrl = SafeReturn(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? username, string? password, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = SafeReturn(returnUrl);
        Username = username?.Trim();
        var result = await users.SignInAsync(Username ?? "", password ?? "", cancellationToken);
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (result.Outcome == SignInOutcome.SignedIn)
        {
            await HttpContext.SignInAsync(DeskAccess.Scheme, DeskAccess.Principal(result.User!));
            logger.LogInformation("Desk sign-in by {User} from {Address}", result.User!.Username, address);
            return LocalRedirect(ReturnUrl);
        }

        // the name as typed (bounded, control characters dropped): the log says who was tried, not only who exists
        var name = new string([.. (Username ?? "").Take(64).Where(c => !char.IsControl(c))]);
        if (result.LockedNow)
        {
            logger.LogWarning("Desk account {User} locked for {Minutes} minutes after {Failures} failed sign-ins; the last from {Address}",
                name, UserService.LockOut.TotalMinutes, UserService.MaxFailures, address);
        }
        else
        {
            logger.LogWarning("Desk sign-in refused for {User} from {Address} ({Outcome})", name, address, result.Outcome);
        }

        Message = Refused;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    /// <summary>Only a path on this site under /desk or /hangfire: never an open redirect.</summary>
    private static string SafeReturn(string? returnUrl) =>
        returnUrl is not null && (returnUrl.StartsWith("/desk", StringComparison.Ordinal) || returnUrl.StartsWith("/hangfire", StringComparison.Ordinal))
            && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.Contains('\\', StringComparison.Ordinal)
            ? returnUrl
            : "/desk/queue";
}
