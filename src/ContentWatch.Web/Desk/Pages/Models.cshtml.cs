using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Models;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Desk.Pages;

/// <summary>
/// The model registry (admins): every model with its figures, the shadow model's report, and the actions: shadow,
/// retire, and activate through a confirmation page that shows the promotion gate's comparison.
/// </summary>
public sealed class ModelsModel(IModelStore store, ModelRegistry registry, ILogger<ModelsModel> logger) : PageModel
{
    /// <summary>Disagreements listed each way in the shadow report.</summary>
    public const int DisagreementsShown = 20;

    public IReadOnlyList<ModelInfo> Models { get; private set; } = [];

    public ShadowReport? Shadow { get; private set; }

    public string? Done { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(string? done, CancellationToken cancellationToken)
    {
        Done = done is "shadow" or "retired" or "activated" ? done : null;
        await LoadAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostShadowAsync(string? id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "shadow", (model, ct) => registry.ShadowAsync(model, User.Actor(), false, ct), cancellationToken);

    public Task<IActionResult> OnPostRetireAsync(string? id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "retired", (model, ct) => registry.RetireAsync(model, User.Actor(), ct), cancellationToken);

    private async Task<IActionResult> ChangeAsync(string? id, string done, Func<string, CancellationToken, Task<RegistryResult>> change, CancellationToken cancellationToken)
    {
        if (!ModelRules.IsModelId(id))
        {
            return NotFound();
        }

        var result = await change(id, cancellationToken);
        switch (result.Outcome)
        {
            case RegistryOutcome.Done or RegistryOutcome.Unchanged:
                logger.LogInformation("Desk: model {ModelId} {Done} by {Actor}", id, done, User.Actor());
                return Redirect("/desk/models?done=" + done);
            case RegistryOutcome.NotFound:
                return NotFound();
            default:
                Error = result.Message;
                await LoadAsync(cancellationToken);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Models = await store.ListAsync(cancellationToken);
        if (Models.FirstOrDefault(m => m.Status == ModelStatus.Shadow) is { } shadow)
        {
            Shadow = await registry.ShadowReportAsync(shadow.Id, DisagreementsShown, cancellationToken);
        }
    }
}
