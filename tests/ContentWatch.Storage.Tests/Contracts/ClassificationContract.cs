using System.Collections.Concurrent;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Review;
using ContentWatch.Storage.Tests.Providers;

namespace ContentWatch.Storage.Tests.Contracts;

public abstract class ClassificationContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [SkippableFact]
    public async Task ClaimPending_ReturnsOldestFirst_UpToMax()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await IngestAsync(Reports.New(kind: "job_ad")));
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var claimed = await Classification.ClaimPendingAsync(3, Lease, Ct);

        Assert.Equal(ids.Take(3).Order(), claimed.Select(c => c.Id).Order());
        Assert.All(claimed, c => Assert.Equal("job_ad", c.Kind));
        Assert.All(claimed, c => Assert.Equal("en", c.Language));
        Assert.All(claimed, c => Assert.StartsWith("Report ", c.Text, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task ClaimPending_NeverHandsOutAnItemUnderALiveLease_EvenToANodeWhoseClockRunsAhead()
    {
        await Intake.StoreReportsAsync(Reports.Many(3), "api", null, Ct);

        var first = await Classification.ClaimPendingAsync(10, Lease, Ct);
        Time.Advance(TimeSpan.FromHours(1)); // this node's clock now runs an hour ahead of the database's
        var second = await Classification.ClaimPendingAsync(10, Lease, Ct);

        Assert.Equal(3, first.Count);
        Assert.Empty(second);
        Assert.Equal(3, await Classification.CountPendingAsync(Ct));
    }

    [SkippableFact]
    public async Task ClaimPending_ReclaimsAnItem_WhenItsLeaseHasRunOut_OnTheDatabaseClock()
    {
        var id = await IngestAsync(Reports.New());
        Assert.Single(await Classification.ClaimPendingAsync(10, TimeSpan.FromMilliseconds(50), Ct));

        // the node's (fake) clock stands still: only the database's clock can end the lease
        var deadline = DateTime.UtcNow.AddSeconds(10);
        IReadOnlyList<ItemToClassify> again;
        while ((again = await Classification.ClaimPendingAsync(10, Lease, Ct)).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the item was not reclaimed within 10 s of a 50 ms lease");
            await Task.Delay(20, Ct);
        }

        Assert.Equal(id, Assert.Single(again).Id);
    }

    [SkippableFact]
    public async Task ClaimPending_ConcurrentClaimers_ClaimEveryItemExactlyOnce()
    {
        await Intake.StoreReportsAsync(Reports.Many(1_000), "import", null, Ct);
        var claims = new ConcurrentBag<string>();

        async Task ClaimUntilEmpty()
        {
            while (true)
            {
                var batch = await Classification.ClaimPendingAsync(50, Lease, Ct);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var item in batch)
                {
                    claims.Add(item.Id);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(ClaimUntilEmpty)));

        Assert.Equal(1_000, claims.Count);
        Assert.Equal(1_000, claims.Distinct().Count());
    }

    [SkippableFact]
    public async Task SaveVerdicts_StoresTheVerdict_AndMovesTheItemOutOfPending()
    {
        var id = await IngestAsync(Reports.New());
        await Classification.ClaimPendingAsync(1, Lease, Ct);
        var verdict = new Verdict(
            Labels.DocumentFraud,
            0.8765432101234567,
            new Dictionary<string, double> { [Labels.DocumentFraud] = 0.8765432101234567, [Labels.Benign] = 0.1234567898765433 },
            "cw-sdca-2026.11.28",
            Start.AddSeconds(3),
            new Evidence(["phone_number", "price"], [new EvidenceTerm("passport", 1.25)], [new EvidenceSpan(4, 8, "passport")]));

        await Classification.SaveVerdictsAsync([new ClassifiedItem(id, verdict, ItemStatus.InReview)], Ct);

        var item = await Review.GetItemAsync(id, Ct);
        Assert.Equal(ItemStatus.InReview, item!.Status);
        Assert.NotNull(item.Verdict);
        Assert.Equal(verdict.Label, item.Verdict.Label);
        Assert.Equal(verdict.Score, item.Verdict.Score);
        Assert.Equal(verdict.Model, item.Verdict.Model);
        Assert.Equal(verdict.ClassifiedAt, item.Verdict.ClassifiedAt);
        Assert.Equal(verdict.Scores.OrderBy(p => p.Key), item.Verdict.Scores.OrderBy(p => p.Key));
        Assert.Equal(verdict.Evidence!.Indicators, item.Verdict.Evidence!.Indicators);
        Assert.Equal(verdict.Evidence.Terms, item.Verdict.Evidence.Terms);
        Assert.Equal(verdict.Evidence.Spans, item.Verdict.Evidence.Spans);
        Assert.Equal(0, await Classification.CountPendingAsync(Ct));
        Assert.Equal(0, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM items WHERE claim_token IS NOT NULL OR claim_until IS NOT NULL", Ct));
    }

    [SkippableFact]
    public async Task SaveVerdicts_LogEachAcceptedWrite_OnceWithTheClaimThatHeldTheItem()
    {
        string[] ids = [await IngestAsync(Reports.New()), await IngestAsync(Reports.New())];
        Assert.Equal(2, (await Classification.ClaimPendingAsync(2, Lease, Ct)).Count);
        var token = await Provider.ScalarAsync<string>("SELECT MIN(claim_token) FROM items", Ct);

        await Classification.SaveVerdictsAsync(ids.Select(id => new ClassifiedItem(id, AVerdict(), ItemStatus.InReview)).ToList(), Ct);
        await Classification.SaveVerdictsAsync([new ClassifiedItem(ids[0], AVerdict(Labels.Benign, 0.1), ItemStatus.Dismissed)], Ct); // refused: it has one

        Assert.Equal(2, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM verdict_writes", Ct));
        Assert.Equal(2, await Provider.ScalarAsync<int>($"SELECT COUNT(*) FROM verdict_writes WHERE claim_token = '{token}'", Ct));
        Assert.Equal(2, await Provider.ScalarAsync<int>("SELECT COUNT(DISTINCT item_id) FROM verdict_writes WHERE written_at LIKE '____-__-__T__:__:__.___Z'", Ct));
    }

    [SkippableFact]
    public async Task SaveVerdicts_FillsTheLanguage_OnlyWhereTheItemHasNone()
    {
        var unknown = await IngestAsync(Reports.New() with { Language = null });
        var english = await IngestAsync(Reports.New());
        await Classification.ClaimPendingAsync(2, Lease, Ct);

        await Classification.SaveVerdictsAsync(
        [
            new ClassifiedItem(unknown, AVerdict(Labels.SmugglingService, 0.9), ItemStatus.InReview, Language: "fr"),
            new ClassifiedItem(english, AVerdict(Labels.SmugglingService, 0.9), ItemStatus.InReview, Language: "fr"),
        ], Ct);

        Assert.Equal("fr", (await Review.GetItemAsync(unknown, Ct))!.Language);
        Assert.Equal("en", (await Review.GetItemAsync(english, Ct))!.Language);
    }

    [SkippableFact]
    public async Task SaveVerdicts_LeavesItemsThatAreNoLongerPending()
    {
        var id = await IngestAsync(Reports.New());
        await Classification.SaveVerdictsAsync([new ClassifiedItem(id, AVerdict(Labels.Benign, 0.1), ItemStatus.Dismissed)], Ct);

        await Classification.SaveVerdictsAsync([new ClassifiedItem(id, AVerdict(Labels.SmugglingService, 0.99), ItemStatus.InReview)], Ct);

        var item = await Review.GetItemAsync(id, Ct);
        Assert.Equal(ItemStatus.Dismissed, item!.Status);
        Assert.Equal(Labels.Benign, item.Verdict!.Label);
    }

    [SkippableFact]
    public async Task SaveVerdicts_OnAnItemDecidedBeforeItWasClassified_KeepsTheDecisionAndRecordsTheVerdict()
    {
        var id = await IngestAsync(Reports.New());
        var decided = await Review.RecordDecisionAsync(new DecisionCommand(id, Decisions.Reject, Labels.Benign, "news report", "key:officer"), "n/a", Ct);
        Assert.Equal(DecisionOutcome.Recorded, decided.Outcome);

        await Classification.SaveVerdictsAsync([new ClassifiedItem(id, AVerdict(Labels.SmugglingService, 0.9), ItemStatus.InReview)], Ct);

        var item = await Review.GetItemAsync(id, Ct);
        Assert.Equal(ItemStatus.Rejected, item!.Status);
        Assert.Equal(Labels.SmugglingService, item.Verdict!.Label);
    }

    [SkippableFact]
    public async Task SaveVerdicts_RefusesAStatusAVerdictCannotSet()
    {
        var id = await IngestAsync(Reports.New());

        await Assert.ThrowsAsync<ArgumentException>(() =>
            Classification.SaveVerdictsAsync([new ClassifiedItem(id, AVerdict(), ItemStatus.Confirmed)], Ct));

        Assert.Equal(ItemStatus.Pending, (await Review.GetItemAsync(id, Ct))!.Status);
    }

    [SkippableFact]
    public async Task CountPending_CountsOnlyPendingItems()
    {
        await Intake.StoreReportsAsync(Reports.Many(4), "api", null, Ct);
        await InReviewAsync(Reports.New());

        Assert.Equal(4, await Classification.CountPendingAsync(Ct));
    }
}
