using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentWatch.Web.Desk.Pages;

public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Queue");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(DeskAccess.Scheme);
        return Redirect("/desk/sign-in");
    }
}
