using System.Data.Common;
using System.Security.Cryptography;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Models;
using ContentWatch.Core.Review;
using ContentWatch.Storage.Tests.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Storage.Tests.Contracts;

/// <summary>The model registry, shadow verdicts, the gate's decided items, the dashboard's model figures and rescore runs.</summary>
public abstract class ModelContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected IModelStore Models => Services.GetRequiredService<IModelStore>();

    protected IRescoreStore Rescores => Services.GetRequiredService<IRescoreStore>();

    /// <summary>A model file's registration: random bytes stand in for the zip.</summary>
    protected static NewModel AModel(string id, double threshold = 0.5, ModelTraining? training = null)
    {
        var content = RandomNumberGenerator.GetBytes(4096);
        return new NewModel(id, Convert.ToHexStringLower(SHA256.HashData(content)), content, Start.AddDays(-1), threshold,
            new ModelMetrics(new WriterFigures(17, 0.856, 0.793, 0.941, 0.181), new HarmfulFigures(32, 24, threshold, 1, 0.9, 0.947, 0, "golden-sha"), null),
            training ?? new ModelTraining([new TrainingFile("corpus/v2/channel.jsonl", "abc", 998)]));
    }

    [SkippableFact]
    public async Task Register_StoresTheModelAsACandidate_WithItsFileFiguresAndAnEvent()
    {
        var model = AModel("cw-test-a", training: new ModelTraining([new TrainingFile("corpus/x.jsonl", "def", 10)], Start.AddHours(-2), 2));

        var stored = await Models.RegisterAsync(model, "key:admin", Ct);

        Assert.Equal(ModelStatus.Candidate, stored.Status);
        Assert.Equal(model.Sha256, stored.Sha256);
        Assert.Equal(Start, stored.CreatedAt);
        Assert.Equal(4096, stored.Bytes);
        Assert.Equal(0.856, stored.Metrics.LeaveOneWriterOut!.MeanHarmfulF1);
        Assert.Equal("golden-sha", stored.Metrics.Golden!.SetSha256);
        Assert.Equal(2, stored.Training.Decisions);
        Assert.Equal(Start.AddHours(-2), stored.Training.DecisionsUntil);
        Assert.Equal(model.Content, await Models.GetContentAsync(model.Id, Ct));
        var registered = Assert.Single(await Models.GetEventsAsync(model.Id, Ct));
        Assert.Equal(("key:admin", null, ModelStatus.Candidate, false), (registered.Actor, registered.FromStatus, registered.ToStatus, registered.Forced));
    }

    [SkippableFact]
    public async Task Register_TheSameIdAgain_ReturnsTheStoredModel_AndWritesNothing()
    {
        var first = await Models.RegisterAsync(AModel("cw-test-a"), "key:admin", Ct);

        var again = await Models.RegisterAsync(AModel("cw-test-a"), "key:other", Ct);

        Assert.Equal(first.Sha256, again.Sha256);
        Assert.Single(await Models.ListAsync(Ct));
        Assert.Single(await Models.GetEventsAsync("cw-test-a", Ct));
    }

    [SkippableFact]
    public async Task Seed_MakesTheModelActive_OnlyWhenNoModelIsActive()
    {
        Assert.True(await Models.SeedAsync(AModel("cw-shipped"), ModelRegistry.FirstStartActor, Ct));
        Assert.False(await Models.SeedAsync(AModel("cw-other"), ModelRegistry.FirstStartActor, Ct));

        var live = await Models.GetLiveAsync(Ct);
        Assert.Equal("cw-shipped", live.ActiveId);
        Assert.Null(live.ShadowId);
        Assert.Single(await Models.ListAsync(Ct));
    }

    [SkippableFact]
    public async Task Activate_RetiresTheActiveModel_AndAuditsBoth_WithTheForceAndTheComparison()
    {
        await Models.SeedAsync(AModel("cw-old"), ModelRegistry.FirstStartActor, Ct);
        await Models.RegisterAsync(AModel("cw-new"), "key:admin", Ct);
        Time.Advance(TimeSpan.FromMinutes(1));

        var result = await Models.SetStatusAsync(new StatusChange("cw-new", ModelStatus.Active, "user:ada", Forced: true, "{\"worse\":true}", CheckActive: true, ExpectedActiveId: "cw-old"), Ct);

        Assert.Equal(StatusChangeOutcome.Changed, result.Outcome);
        var live = await Models.GetLiveAsync(Ct);
        Assert.Equal(("cw-new", (await Models.GetAsync("cw-new", Ct))!.Sha256), (live.ActiveId, live.ActiveSha256));
        Assert.Equal(ModelStatus.Retired, (await Models.GetAsync("cw-old", Ct))!.Status);
        var activated = (await Models.GetEventsAsync("cw-new", Ct)).Last();
        Assert.Equal(("user:ada", ModelStatus.Candidate, ModelStatus.Active, true, "{\"worse\":true}", Start.AddMinutes(1)),
            (activated.Actor, activated.FromStatus, activated.ToStatus, activated.Forced, activated.Comparison, activated.At));
        var retired = (await Models.GetEventsAsync("cw-old", Ct)).Last();
        Assert.Equal(("user:ada", ModelStatus.Active, ModelStatus.Retired, false), (retired.Actor, retired.FromStatus, retired.ToStatus, retired.Forced));

        // rolling back is activating the previous model
        Assert.Equal(StatusChangeOutcome.Changed, (await Models.SetStatusAsync(new StatusChange("cw-old", ModelStatus.Active, "user:ada", false), Ct)).Outcome);
        Assert.Equal("cw-old", (await Models.GetLiveAsync(Ct)).ActiveId);
    }

    [SkippableFact]
    public async Task Shadow_SendsTheShadowModelBackToCandidate_AndActivatingTheShadowLeavesNoShadow()
    {
        await Models.SeedAsync(AModel("cw-active"), ModelRegistry.FirstStartActor, Ct);
        await Models.RegisterAsync(AModel("cw-a"), "key:admin", Ct);
        await Models.RegisterAsync(AModel("cw-b"), "key:admin", Ct);

        await Models.SetStatusAsync(new StatusChange("cw-a", ModelStatus.Shadow, "key:admin", false), Ct);
        await Models.SetStatusAsync(new StatusChange("cw-b", ModelStatus.Shadow, "key:admin", false), Ct);

        Assert.Equal(("cw-active", "cw-b"), ((await Models.GetLiveAsync(Ct)).ActiveId, (await Models.GetLiveAsync(Ct)).ShadowId));
        Assert.Equal(ModelStatus.Candidate, (await Models.GetAsync("cw-a", Ct))!.Status);

        await Models.SetStatusAsync(new StatusChange("cw-b", ModelStatus.Active, "key:admin", false), Ct);
        var live = await Models.GetLiveAsync(Ct);
        Assert.Equal(("cw-b", (string?)null), (live.ActiveId, live.ShadowId));
    }

    [SkippableFact]
    public async Task SetStatus_RefusesToRetireOrShadowTheActiveModel_AndAnActivationAgainstAnotherActiveModel()
    {
        await Models.SeedAsync(AModel("cw-active"), ModelRegistry.FirstStartActor, Ct);
        await Models.RegisterAsync(AModel("cw-a"), "key:admin", Ct);

        Assert.Equal(StatusChangeOutcome.Conflict, (await Models.SetStatusAsync(new StatusChange("cw-active", ModelStatus.Retired, "key:admin", false), Ct)).Outcome);
        Assert.Equal(StatusChangeOutcome.Conflict, (await Models.SetStatusAsync(new StatusChange("cw-active", ModelStatus.Shadow, "key:admin", false), Ct)).Outcome);
        Assert.Equal(StatusChangeOutcome.Conflict, (await Models.SetStatusAsync(
            new StatusChange("cw-a", ModelStatus.Active, "key:admin", false, CheckActive: true, ExpectedActiveId: "cw-gone"), Ct)).Outcome);
        Assert.Equal(StatusChangeOutcome.NotFound, (await Models.SetStatusAsync(new StatusChange("cw-none", ModelStatus.Active, "key:admin", false), Ct)).Outcome);
        Assert.Equal(StatusChangeOutcome.Unchanged, (await Models.SetStatusAsync(new StatusChange("cw-a", ModelStatus.Candidate, "key:admin", false), Ct)).Outcome);
        Assert.Equal("cw-active", (await Models.GetLiveAsync(Ct)).ActiveId);
        Assert.Equal(2, (await Models.GetEventsAsync("cw-active", Ct)).Count + (await Models.GetEventsAsync("cw-a", Ct)).Count);
    }

    [SkippableFact]
    public async Task TwoModels_CannotBeActiveAtOnce_AndModelEventsAreAppendOnly()
    {
        await Models.SeedAsync(AModel("cw-active"), ModelRegistry.FirstStartActor, Ct);
        await Models.RegisterAsync(AModel("cw-a"), "key:admin", Ct);

        await Assert.ThrowsAnyAsync<DbException>(() => Provider.ExecuteAsync("UPDATE models SET status = 'active' WHERE id = 'cw-a'", Ct));
        await Assert.ThrowsAnyAsync<DbException>(() => Provider.ExecuteAsync("UPDATE model_events SET actor = 'someone'", Ct));
        await Assert.ThrowsAnyAsync<DbException>(() => Provider.ExecuteAsync("DELETE FROM model_events", Ct));
    }

    [SkippableFact]
    public async Task SaveVerdicts_WritesTheShadowVerdict_OnlyWithTheItemsOwnVerdict()
    {
        await Models.RegisterAsync(AModel("cw-shadow"), "key:admin", Ct);
        var id = await IngestAsync(Reports.New());
        var shadow = new ShadowVerdict("cw-shadow", Labels.DocumentFraud, 0.625, new Dictionary<string, double> { [Labels.DocumentFraud] = 0.625, [Labels.Benign] = 0.375 }, Start);

        await Classification.SaveVerdictsAsync([new ClassifiedItem(id, AVerdict(Labels.Benign, 0.1), ItemStatus.Dismissed, Shadow: shadow)], Ct);
        await Classification.SaveVerdictsAsync([new ClassifiedItem(id, AVerdict(), ItemStatus.InReview, Shadow: shadow with { Score = 0.99 })], Ct); // refused: it has one

        var stored = await Models.GetShadowVerdictAsync(id, Ct);
        Assert.Equal(("cw-shadow", Labels.DocumentFraud, 0.625, Start), (stored!.Model, stored.Label, stored.Score, stored.ClassifiedAt));
        Assert.Equal(0.375, stored.Scores[Labels.Benign]);
        Assert.Equal(1, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM shadow_verdicts", Ct));
        Assert.Null(await Models.GetShadowVerdictAsync(await IngestAsync(Reports.New()), Ct));
    }

    [SkippableFact]
    public async Task CompareShadow_CountsAgreementDisagreementsAndTheDecidedItems()
    {
        await Models.RegisterAsync(AModel("cw-shadow"), "key:admin", Ct);
        async Task<string> Classified(double active, double shadowScore)
        {
            var id = await IngestAsync(Reports.New());
            var flagged = active >= 0.5;
            await Classification.SaveVerdictsAsync([new ClassifiedItem(id, AVerdict(flagged ? Labels.SmugglingService : Labels.Benign, active),
                flagged ? ItemStatus.InReview : ItemStatus.Dismissed,
                Shadow: new ShadowVerdict("cw-shadow", shadowScore >= 0.5 ? Labels.SmugglingService : Labels.Benign, shadowScore, new Dictionary<string, double>(), Start))], Ct);
            return id;
        }

        var both = await Classified(0.9, 0.8);
        var activeOnly = await Classified(0.7, 0.2);
        var shadowOnly = await Classified(0.1, 0.95);
        await Classified(0.1, 0.1);
        await Review.RecordDecisionAsync(Decide.Confirm(both), "x", Ct);
        await Review.RecordDecisionAsync(Decide.Reject(activeOnly), "x", Ct);
        await Review.RecordDecisionAsync(Decide.Confirm(shadowOnly), "x", Ct);

        var counts = await Models.CompareShadowAsync("cw-shadow", 10, Ct);

        Assert.Equal((4, 1, 1, 1, 2), (counts.Compared, counts.BothFlagged, counts.ShadowOnly, counts.ActiveOnly, counts.SameLabel));
        Assert.Equal((3, 2), (counts.Decided, counts.Confirmed));
        Assert.Equal((2, 0, 1, 1), (counts.ShadowFlaggedConfirmed, counts.ShadowFlaggedRejected, counts.ActiveFlaggedConfirmed, counts.ActiveFlaggedRejected));
        Assert.Equal(shadowOnly, Assert.Single(counts.ShadowOnlyItems).ItemId);
        Assert.Equal((activeOnly, 0.7, 0.2), (Assert.Single(counts.ActiveOnlyItems).ItemId, counts.ActiveOnlyItems[0].ActiveScore, counts.ActiveOnlyItems[0].ShadowScore));
        var report = ShadowReport.From("cw-shadow", "cw-test-1", counts);
        Assert.Equal(0.5, report.Agreement);
        Assert.Equal((1.0, 1.0), (report.Decided.Shadow.Precision, report.Decided.Shadow.Recall));
        Assert.Equal((0.5, 0.5), (report.Decided.Active.Precision, report.Decided.Active.Recall));
    }

    [SkippableFact]
    public async Task GetDecided_ReturnsItemsConfirmedOrRejectedSinceATime_WithTheirLastDecision()
    {
        var old = await InReviewAsync(Reports.New());
        await Review.RecordDecisionAsync(Decide.Confirm(old), "x", Ct);
        Time.Advance(TimeSpan.FromDays(40));
        var confirmed = await InReviewAsync(Reports.New());
        var rejected = await InReviewAsync(Reports.New());
        await InReviewAsync(Reports.New());
        await Review.RecordDecisionAsync(Decide.Confirm(confirmed), "x", Ct);
        Time.Advance(TimeSpan.FromMinutes(5));
        await Review.RecordDecisionAsync(Decide.Reject(rejected), "x", Ct);

        var decided = await Models.GetDecidedAsync(Time.GetUtcNow().AddDays(-30), 10, Ct);

        Assert.Equal([rejected, confirmed], decided.Select(d => d.Id));
        Assert.Equal((ItemStatus.Rejected, Time.GetUtcNow()), (decided[0].Status, decided[0].DecidedAt));
        Assert.Equal(ItemStatus.Confirmed, decided[1].Status);
        Assert.StartsWith("Report ", decided[1].Text, StringComparison.Ordinal);
        Assert.Single(await Models.GetDecidedAsync(Time.GetUtcNow().AddDays(-30), 1, Ct));
    }

    [SkippableFact]
    public async Task GetFigures_BinsScores_AndCountsFirstDecisionsOnFlaggedItemsPerModel()
    {
        foreach (var score in new[] { 0.05, 0.15, 0.95, 1.0 })
        {
            await Classification.SaveVerdictsAsync([new ClassifiedItem(await IngestAsync(Reports.New()), AVerdict(Labels.Benign, score), ItemStatus.Dismissed)], Ct);
        }

        var a = await InReviewAsync(Reports.New(), 0.7);
        var b = await InReviewAsync(Reports.New(), 0.8);
        await Review.RecordDecisionAsync(Decide.Confirm(a), "x", Ct);
        await Review.RecordDecisionAsync(Decide.Reject(b), "x", Ct);

        var figures = await Models.GetFiguresAsync(Start.AddDays(-1), Ct);

        Assert.Equal([1, 1, 0, 0, 0, 0, 0, 1, 1, 2], figures.Scores.Select(s => s.Count));
        Assert.Equal(0.9, figures.Scores[9].From);
        var precision = Assert.Single(figures.Precision);
        Assert.Equal(("cw-test-1", 1, 1, 0.5), (precision.Model, precision.Confirmed, precision.Rejected, precision.Precision));
    }

    [SkippableFact]
    public async Task ClaimItems_ClaimsOnlyPendingItemsWithoutALiveLease()
    {
        var free = await IngestAsync(Reports.New());
        var leased = await IngestAsync(Reports.New());
        var classified = await InReviewAsync(Reports.New());
        Assert.Single(await Classification.ClaimItemsAsync([leased], Lease, Ct));

        var claimed = await Classification.ClaimItemsAsync([free, leased, classified, "no-such-item"], Lease, Ct);

        Assert.Equal(free, Assert.Single(claimed).Id);
        Assert.Empty(await Classification.ClaimPendingAsync(10, Lease, Ct));
    }

    [SkippableFact]
    public async Task Rescore_NumbersItsItemsIntoBatches_AndABatchBelongsToOneWorker()
    {
        await Models.RegisterAsync(AModel("cw-new"), "key:admin", Ct);
        var old = await InReviewAsync(Reports.New());
        Time.Advance(TimeSpan.FromDays(2));
        var since = Time.GetUtcNow();
        var ids = new List<string> { await IngestAsync(Reports.New()) };
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await InReviewAsync(Reports.New()));
        }

        var dismissed = await IngestAsync(Reports.New());
        await Classification.SaveVerdictsAsync([new ClassifiedItem(dismissed, AVerdict(Labels.Benign, 0.1), ItemStatus.Dismissed)], Ct);

        var run = await Rescores.CreateRunAsync(new RescoreRequest("cw-new", since, false, since, since.AddDays(1)), 2, "key:admin", Ct);
        var withDismissed = await Rescores.CreateRunAsync(new RescoreRequest("cw-new", since, true, since, since.AddDays(1)), 10, "key:admin", Ct);

        Assert.Equal((5, 3, 0, false), (run.Total, run.Batches, run.BatchesDone, run.Finished));
        Assert.Equal((7 - 1, 1), (withDismissed.Total, withDismissed.Batches));
        Assert.Equal(4, (await Rescores.GetOpenBatchesAsync(100, Ct)).Count);
        var first = await Rescores.ClaimBatchAsync(run.Id, 1, Lease, Ct);
        Assert.Equal(ids.Take(2).Order(), first!.Select(i => i.ItemId).Order());
        Assert.Equal(ItemStatus.Pending, first!.Single(i => i.ItemId == ids[0]).Status);
        Assert.Null(await Rescores.ClaimBatchAsync(run.Id, 1, Lease, Ct));
        Assert.Equal(3, (await Rescores.GetOpenBatchesAsync(100, Ct)).Count);
        Assert.DoesNotContain(old, (await Rescores.ClaimBatchAsync(withDismissed.Id, 1, Lease, Ct))!.Select(i => i.ItemId));
    }

    [SkippableFact]
    public async Task CompleteBatch_RequeuesADismissedItemOnce_WithANote_AndRescoresInReviewItemsWithoutMovingThem()
    {
        await Models.RegisterAsync(AModel("cw-new"), "key:admin", Ct);
        var inReview = await InReviewAsync(Reports.New(), 0.6);
        var dismissed = await IngestAsync(Reports.New());
        await Classification.SaveVerdictsAsync([new ClassifiedItem(dismissed, AVerdict(Labels.Benign, 0.1), ItemStatus.Dismissed)], Ct);
        var classifiedAt = (await Review.GetItemAsync(inReview, Ct))!.Verdict!.ClassifiedAt;
        var run = await Rescores.CreateRunAsync(new RescoreRequest("cw-new", Start, true, Start, Start.AddDays(1)), 10, "key:admin", Ct);
        Assert.NotNull(await Rescores.ClaimBatchAsync(run.Id, 1, Lease, Ct));
        Time.Advance(TimeSpan.FromMinutes(3));
        var flagged = new Verdict(Labels.DocumentFraud, 0.77, new Dictionary<string, double> { [Labels.DocumentFraud] = 0.77 }, "cw-new", Time.GetUtcNow());
        RescoreOutcome[] outcomes =
        [
            new(inReview, RescoreOutcomes.Rescored, flagged with { Score = 0.3, Label = Labels.Benign }),
            new(dismissed, RescoreOutcomes.Requeued, flagged, "Back to review: the new model scored it 0.77."),
        ];

        await Rescores.CompleteBatchAsync(run.Id, 1, outcomes, "key:admin", Ct);
        await Rescores.CompleteBatchAsync(run.Id, 1, outcomes, "key:admin", Ct); // a batch finished twice after a lost lease

        var rescored = await Review.GetItemAsync(inReview, Ct);
        Assert.Equal((ItemStatus.InReview, "cw-new", 0.3, classifiedAt), (rescored!.Status, rescored.Verdict!.Model, rescored.Verdict.Score, rescored.Verdict.ClassifiedAt));
        var requeued = await Review.GetItemAsync(dismissed, Ct);
        Assert.Equal((ItemStatus.InReview, Labels.DocumentFraud, "cw-new"), (requeued!.Status, requeued.Verdict!.Label, requeued.Verdict.Model));
        var note = Assert.Single(await Models.GetNotesAsync(dismissed, Ct));
        Assert.Equal(("key:admin", "rescore", "cw-new", run.Id, Time.GetUtcNow()), (note.Actor, note.Kind, note.ModelId, note.RunId, note.At));
        Assert.Contains("0.77", note.Note, StringComparison.Ordinal);
        var done = await Rescores.GetRunAsync(run.Id, Ct);
        Assert.Equal((true, 2, 1, 1), (done!.Finished, done.Done, done.Outcomes[RescoreOutcomes.Requeued], done.Outcomes[RescoreOutcomes.Rescored]));
        Assert.Empty(await Rescores.GetOpenBatchesAsync(100, Ct));
        Assert.Equal(1, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM verdict_writes WHERE item_id = '" + inReview + "'", Ct));
        await Assert.ThrowsAnyAsync<DbException>(() => Provider.ExecuteAsync("DELETE FROM item_notes", Ct));
    }
}
