using System.Security.Claims;
using System.Text.Json.Serialization;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Models;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

/// <summary>The model registry: list, shadow, activate through the promotion gate, retire, shadow report, rescore.</summary>
public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var officer = app.MapGroup("/api").RequireAuthorization(AccessPolicies.Officer);
        officer.MapGet("/models", ListAsync);
        officer.MapGet("/models/{id}", GetAsync);
        officer.MapGet("/models/{id}/shadow-report", ShadowReportAsync);
        officer.MapGet("/rescores/{id}", GetRescoreAsync);
        var admin = app.MapGroup("/api").RequireAuthorization(AccessPolicies.Admin);
        admin.MapPost("/models/{id}/shadow", ShadowAsync);
        admin.MapPost("/models/{id}/activate", ActivateAsync);
        admin.MapPost("/models/{id}/retire", RetireAsync);
        admin.MapPost("/models/{id}/rescore", RescoreAsync);
        return app;
    }

    /// <summary>What the training data was, without the (long) list of decided items.</summary>
    public sealed record TrainingAnswer(IReadOnlyList<TrainingFile> Files, DateTimeOffset? DecisionsUntil, int Decisions);

    /// <summary>A registered model; <see cref="Comparison"/> only in an activation's answer.</summary>
    public sealed record ModelAnswer(
        string Id, string Status, string Sha256, DateTimeOffset CreatedAt, ModelMetrics Metrics, DateTimeOffset? TrainedAt, DateTimeOffset StatusAt,
        double ReviewThreshold, long Bytes, TrainingAnswer Training,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] GateComparison? Comparison = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ModelEvent>? Events = null)
    {
        public static ModelAnswer From(ModelInfo m, GateComparison? comparison = null, IReadOnlyList<ModelEvent>? events = null) => new(
            m.Id, m.Status, m.Sha256, m.CreatedAt, m.Metrics, m.TrainedAt, m.StatusAt, m.ReviewThreshold, m.Bytes,
            new TrainingAnswer(m.Training.Files, m.Training.DecisionsUntil, m.Training.Decisions), comparison, events);
    }

    public sealed record ModelsAnswer(IReadOnlyList<ModelAnswer> Items);

    /// <summary>The optional body of shadow and activate: <c>{"force":true}</c> skips the gate (audited).</summary>
    public sealed record StatusRequest(bool? Force);

    /// <summary>The body of a rescore: dates as ISO 8601 (a day, or a time with its offset).</summary>
    public sealed record RescoreBody(string? Since, bool? IncludeDismissed, string? From, string? To);

    public sealed record RescoreAnswer(
        string Id, string Model, DateTimeOffset Since, bool IncludeDismissed, DateTimeOffset DismissedFrom, DateTimeOffset DismissedTo, DateTimeOffset CreatedAt,
        string CreatedBy, int Total, int Batches, int BatchesDone, int Done, bool Finished, IReadOnlyDictionary<string, int> Outcomes)
    {
        public static RescoreAnswer From(RescoreRun r) => new(
            r.Id, r.ModelId, r.Since, r.IncludeDismissed, r.DismissedFrom, r.DismissedTo, r.CreatedAt, r.CreatedBy, r.Total, r.Batches, r.BatchesDone, r.Done,
            r.Finished, r.Outcomes);
    }

    public static async Task<IResult> ListAsync(IModelStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ModelsAnswer([.. (await store.ListAsync(cancellationToken)).Select(m => ModelAnswer.From(m))]));

    /// <summary>One model with its audited events.</summary>
    public static async Task<IResult> GetAsync(string id, IModelStore store, CancellationToken cancellationToken) =>
        await FindAsync(id, store, cancellationToken) is not { } model
            ? NoModel(id)
            : TypedResults.Ok(ModelAnswer.From(model, events: await store.GetEventsAsync(model.Id, cancellationToken)));

    public static async Task<IResult> ShadowReportAsync(string id, string? limit, ModelRegistry registry, CancellationToken cancellationToken)
    {
        if (Problems.ParseLimit(limit, 50, out var n) is { } error)
        {
            return Problems.Invalid([error]);
        }

        return !ModelRules.IsModelId(id) || await registry.ShadowReportAsync(id, n, cancellationToken) is not { } report
            ? NoModel(id)
            : TypedResults.Ok(report);
    }

    public static Task<IResult> ShadowAsync(string id, OptionalJsonBody<StatusRequest> body, ClaimsPrincipal user, ModelRegistry registry,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, body, force => registry.ShadowAsync(id, user.Actor(), force, cancellationToken));

    /// <summary>Activates through the promotion gate: 200 with the model and the comparison, or 409 carrying the comparison.</summary>
    public static Task<IResult> ActivateAsync(string id, OptionalJsonBody<StatusRequest> body, ClaimsPrincipal user, ModelRegistry registry,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, body, force => registry.ActivateAsync(id, user.Actor(), force, cancellationToken));

    public static async Task<IResult> RetireAsync(string id, ClaimsPrincipal user, ModelRegistry registry, CancellationToken cancellationToken) =>
        !ModelRules.IsModelId(id) ? NoModel(id) : Answer(await registry.RetireAsync(id, user.Actor(), cancellationToken));

    /// <summary>Starts a rescore with the model: 202 with the run; its batches run as Hangfire jobs.</summary>
    public static async Task<IResult> RescoreAsync(string id, JsonBody<RescoreBody> body, ClaimsPrincipal user, IModelStore store, RescoreService rescore,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (body.Problem is { } problem)
        {
            return problem;
        }

        if (await FindAsync(id, store, cancellationToken) is not { } model)
        {
            return NoModel(id);
        }

        var (request, errors) = ParseRescore(model.Id, body.Value!, time.GetUtcNow());
        if (request is null)
        {
            return Problems.Invalid(errors);
        }

        var run = await rescore.StartAsync(request, user.Actor(), cancellationToken);
        return TypedResults.Accepted($"/api/rescores/{run.Id}", RescoreAnswer.From(run));
    }

    public static async Task<IResult> GetRescoreAsync(string id, IRescoreStore store, CancellationToken cancellationToken) =>
        id.Length <= 32 && await store.GetRunAsync(id, cancellationToken) is { } run
            ? TypedResults.Ok(RescoreAnswer.From(run))
            : Problems.NotFound($"No rescore {id}.");

    /// <summary>
    /// A rescore request from its fields: <c>since</c> is required; <c>from</c> defaults to <c>since</c> and <c>to</c> to now
    /// (the dismissed window, read only with <c>includeDismissed</c>).
    /// </summary>
    public static (RescoreRequest? Request, IReadOnlyList<FieldError> Errors) ParseRescore(string modelId, RescoreBody body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new List<FieldError>();
        var since = ParseDate(body.Since, "since", errors, required: true);
        var from = ParseDate(body.From, "from", errors, required: false) ?? since;
        var to = ParseDate(body.To, "to", errors, required: false) ?? now;
        if (errors.Count > 0 || since is null)
        {
            return (null, errors);
        }

        var request = new RescoreRequest(modelId, since.Value, body.IncludeDismissed == true, from!.Value, to);
        var checks = RescoreService.Validate(request, modelExists: true);
        return checks.Count > 0 ? (null, checks) : (request, []);
    }

    private static DateTimeOffset? ParseDate(string? text, string field, List<FieldError> errors, bool required)
    {
        if (text is null)
        {
            if (required)
            {
                errors.Add(new FieldError(field, "is required: an ISO 8601 date (2026-12-01) or time with its offset"));
            }

            return null;
        }

        if (text.Length <= 40 && ReportParser.TryParseTimestamp(text, out var value) && value.Year is >= 2000 and <= 9000)
        {
            return value;
        }

        errors.Add(new FieldError(field, "must be an ISO 8601 date (2026-12-01) or time with its offset"));
        return null;
    }

    /// <summary>A status change with the optional <c>{"force":true}</c> body, once the body and the id are checked.</summary>
    private static async Task<IResult> ChangeAsync(string id, OptionalJsonBody<StatusRequest> body, Func<bool, Task<RegistryResult>> change) =>
        body.Problem ?? (!ModelRules.IsModelId(id) ? NoModel(id) : Answer(await change(body.Value?.Force == true)));

    private static async Task<ModelInfo?> FindAsync(string id, IModelStore store, CancellationToken cancellationToken) =>
        ModelRules.IsModelId(id) ? await store.GetAsync(id, cancellationToken) : null;

    private static IResult NoModel(string id) => Problems.NotFound(ModelRules.IsModelId(id) ? $"No model {id}." : "No such model: a model id is letters, digits, '.', '_' and '-'.");

    private static IResult Answer(RegistryResult result) => result.Outcome switch
    {
        RegistryOutcome.Done or RegistryOutcome.Unchanged => TypedResults.Ok(ModelAnswer.From(result.Model!, result.Comparison)),
        RegistryOutcome.NotFound => Problems.NotFound(result.Message ?? "No such model."),
        RegistryOutcome.Refused => TypedResults.Problem(
            detail: $"{result.Message} {string.Join("; ", result.Comparison!.Reasons)}. Send {{\"force\":true}} to activate it anyway (audited).",
            statusCode: StatusCodes.Status409Conflict,
            title: "The promotion gate refused the model",
            extensions: new Dictionary<string, object?> { ["comparison"] = result.Comparison }),
        _ => Problems.Conflict(result.Message),
    };
}
