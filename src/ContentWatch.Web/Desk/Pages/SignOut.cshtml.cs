using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Access;

namespace ContentWatch.Web.Desk.Pages;

public sealed class SignOutModel(UserService users) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Queue");

    /// <summary>Revokes the account's sessions on the server (a copy of the cookie no longer works), then drops the cookie.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.FindFirstValue(ClaimTypes.Name) is { } name)
        {
            await users.SignOutEverywhereAsync(name, cancellationToken);
        }

        await HttpContext.SignOutAsync(DeskAccess.Scheme);
        return Redirect("/desk/sign-in");
    }
}
