using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Review;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Desk.Pages;

/// <summary>One item: its text with the evidence marked, its reports, the decision forms and its audit history.</summary>
public sealed class ItemModel(IReviewStore store, IDeskStore desk, ReviewService review, Core.Networks.INetworkStore networks, Core.Models.IModelStore models,
    TimeProvider time) : PageModel
{
    /// <summary>Characters of a duplicate report's own text shown in the reports table.</summary>
    public const int ReportExcerpt = 280;

    public ItemDetails Item { get; private set; } = null!;

    public IReadOnlyList<TextSegment> Segments { get; private set; } = [];

    public bool TextCut { get; private set; }

    /// <summary>The verdict recorded no positions, so its terms are marked wherever they occur.</summary>
    public bool MarksFromTerms { get; private set; }

    public IReadOnlyList<ReportRecord> Reports { get; private set; } = [];

    public NetworkView Network { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> Audit { get; private set; } = [];

    /// <summary>The shadow model's verdict, shown beside the active one; null when no shadow model scored the item.</summary>
    public Core.Models.ShadowVerdict? Shadow { get; private set; }

    /// <summary>What the system wrote on the item (a rescore that sent it back to review).</summary>
    public IReadOnlyList<Core.Models.ItemNote> Notes { get; private set; } = [];

    public QueueQuery Query { get; private set; } = QueueQuery.Empty;

    /// <summary>The item's place in the filtered queue, when it was opened from there.</summary>
    public int? Position { get; private set; }

    public string? PreviousHref { get; private set; }

    public string? NextHref { get; private set; }

    public List<FieldError> Errors { get; } = [];

    /// <summary>The form that failed, to show its errors and keep what was typed.</summary>
    public DecisionRequest? Posted { get; private set; }

    /// <summary>What happened to the item decided just before this one was opened.</summary>
    public string? Done { get; private set; }

    public bool Decided => Item.Status is ItemStatus.Confirmed or ItemStatus.Rejected;

    /// <summary>The model put the item below the review threshold: its verdict is no reason to refer it.</summary>
    public bool Dismissed => Item.Status == ItemStatus.Dismissed;

    /// <summary>The category the confirm form starts with: none for a dismissed item, which the officer must choose.</summary>
    public string? DefaultCategory => Posted?.Category
        ?? (Dismissed ? null : Item.Verdict?.Label is { } label && label != Labels.Benign ? label : Labels.SmugglingService);

    public async Task<IActionResult> OnGetAsync(string id, string? done, CancellationToken cancellationToken)
    {
        Done = done is Decisions.Confirm or Decisions.Reject ? done : null;
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(string id, string? decision, string? category, string? reason, CancellationToken cancellationToken)
    {
        Posted = new DecisionRequest(decision, decision == Decisions.Reject && string.IsNullOrEmpty(category) ? null : category, reason);
        Errors.AddRange(ReviewService.Validate(Posted));
        if (Errors.Count == 0)
        {
            var result = await review.DecideAsync(id, Posted, User.Actor(), cancellationToken);
            switch (result.Outcome)
            {
                case DecisionOutcome.Recorded:
                    return await NextAsync(Posted.Decision!, cancellationToken);
                case DecisionOutcome.ItemNotFound:
                    return NotFound();
                default:
                    Errors.Add(new FieldError("decision", result.Message ?? "conflicts with the item's state"));
                    break;
            }
        }

        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    /// <summary>The decided item has left the queue, so the next one now holds its place.</summary>
    private async Task<IActionResult> NextAsync(string decision, CancellationToken cancellationToken)
    {
        Query = QueueQuery.Parse(Request.Query, []);
        var position = ReadPosition() ?? 0;
        var page = await desk.GetQueuePageAsync(Query.ToFilter(time.GetUtcNow()), position, 1, cancellationToken);
        if (page.Lines.Count == 0 && position > 0)
        {
            position = 0;
            page = await desk.GetQueuePageAsync(Query.ToFilter(time.GetUtcNow()), 0, 1, cancellationToken);
        }

        return page.Lines.Count == 0
            ? Redirect("/desk/queue" + Query.ToQueryString())
            : Redirect($"/desk/items/{page.Lines[0].Id}{Query.ToQueryString(position: position)}&done={decision}");
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var item = await store.GetItemAsync(id, cancellationToken);
        if (item is null)
        {
            return false;
        }

        Item = item;
        var shown = EvidenceText.Bound(item.Text, EvidenceText.MaxShown);
        TextCut = shown.Length < item.Text.Length;
        var evidence = item.Verdict?.Evidence;
        MarksFromTerms = evidence is { Spans.Count: 0, Terms.Count: > 0 };
        Segments = EvidenceText.Segments(shown, MarksFromTerms ? EvidenceText.TermSpans(shown, evidence!.Terms) : evidence?.Spans);
        Reports = await store.GetReportsAsync(id, cancellationToken);
        Network = new NetworkView(await networks.GetItemNetworkAsync(id, cancellationToken), evidence?.Watchlist);
        Audit = await store.GetAuditAsync(id, cancellationToken);
        Shadow = await models.GetShadowVerdictAsync(id, cancellationToken);
        Notes = await models.GetNotesAsync(id, cancellationToken);
        Query = QueueQuery.Parse(Request.Query, []);
        Position = ReadPosition();
        if (Position is { } pos)
        {
            var from = Math.Max(0, pos - 1);
            var around = await desk.GetQueuePageAsync(Query.ToFilter(time.GetUtcNow()), from, pos - from + 2, cancellationToken);
            var lines = around.Lines.Select((l, i) => (l.Id, Position: from + i)).Where(l => l.Id != id).ToList();
            PreviousHref = lines.Where(l => l.Position < pos).Select(l => Href(l.Id, l.Position)).FirstOrDefault();
            NextHref = lines.Where(l => l.Position > pos).Select(l => Href(l.Id, l.Position)).FirstOrDefault();
        }

        return true;
    }

    private string Href(string id, int position) => $"/desk/items/{id}{Query.ToQueryString(position: position)}";

    private int? ReadPosition() =>
        int.TryParse(Request.Query["pos"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var pos) && pos < 10_000_000 ? pos : null;

    public string FormAction => $"/desk/items/{Item.Id}{Query.ToQueryString(position: Position)}";

    public static string Excerpt(string text) => EvidenceText.Bound(text, ReportExcerpt);

    public static bool IsWebUrl(string url) => ReportParser.IsWebUrl(url);
}
