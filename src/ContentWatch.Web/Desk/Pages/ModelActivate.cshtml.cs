using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Models;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Desk.Pages;

/// <summary>
/// The confirmation step of an activation: the promotion gate's comparison of the model with the active one, and the
/// form that activates it. A model the gate finds worse is activated only with "activate anyway" ticked (audited as forced).
/// </summary>
public sealed class ModelActivateModel(IModelStore store, ModelRegistry registry, ILogger<ModelActivateModel> logger) : PageModel
{
    public ModelInfo Model { get; private set; } = null!;

    public GateComparison? Comparison { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!ModelRules.IsModelId(id) || await store.GetAsync(id, cancellationToken) is not { } model)
        {
            return NotFound();
        }

        if (model.Status == ModelStatus.Active)
        {
            return Redirect("/desk/models");
        }

        Model = model;
        Comparison = await registry.CompareAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, bool force, CancellationToken cancellationToken)
    {
        if (!ModelRules.IsModelId(id))
        {
            return NotFound();
        }

        var result = await registry.ActivateAsync(id, User.Actor(), force, cancellationToken);
        switch (result.Outcome)
        {
            case RegistryOutcome.Done or RegistryOutcome.Unchanged:
                logger.LogWarning("Desk: model {ModelId} activated by {Actor}{Forced}", id, User.Actor(), force ? " (forced)" : "");
                return Redirect("/desk/models?done=activated");
            case RegistryOutcome.NotFound:
                return NotFound();
            default:
                Model = result.Model!;
                Comparison = result.Comparison ?? await registry.CompareAsync(id, cancellationToken);
                Error = result.Outcome == RegistryOutcome.Refused
                    ? "The promotion gate refused the model: tick \"activate anyway\" to force it (audited)."
                    : result.Message;
                Response.StatusCode = result.Outcome == RegistryOutcome.Refused ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status409Conflict;
                return Page();
        }
    }
}
