using System.Diagnostics;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Review;
using ContentWatch.Storage.Tests.Providers;
using Xunit.Abstractions;

namespace ContentWatch.Storage.Tests.Contracts;

public abstract class IntakeContract<TProvider>(ITestOutputHelper output) : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    [SkippableFact]
    public async Task StoreReports_NewReport_CreatesPendingItemWithOneReport()
    {
        var report = Reports.New(text: "Crossing by boat, 2000 EUR, documents included.");

        var result = Assert.Single(await Intake.StoreReportsAsync([report], "api", null, Ct));

        Assert.Null(result.DuplicateOf);
        var item = await Review.GetItemAsync(result.ItemId, Ct);
        Assert.NotNull(item);
        Assert.Equal(ItemStatus.Pending, item.Status);
        Assert.Equal(1, item.ReportCount);
        Assert.Equal(report.Url, item.Url);
        Assert.Equal(report.Text, item.Text);
        Assert.Equal(report.Title, item.Title);
        Assert.Equal(report.ExternalId, item.ExternalId);
        Assert.Equal(report.PostedAt, item.PostedAt);
        Assert.Equal(DuplicateKeys.Sha256Hex(report.Text), item.TextSha256);
        Assert.Equal(Start, item.FirstReportedAt);
        Assert.Equal(Start, item.LastReportedAt);
        Assert.Null(item.Verdict);
        Assert.Null(item.ReferralId);
    }

    [SkippableFact]
    public async Task StoreReports_KeepsTimesToTheMillisecond()
    {
        Time.SetUtcNow(new DateTimeOffset(2026, 11, 28, 23, 59, 59, 999, TimeSpan.Zero).AddTicks(9_999));
        var report = Reports.New() with { PostedAt = new DateTimeOffset(2026, 11, 28, 12, 0, 0, 7, TimeSpan.FromHours(2)) };

        var id = await IngestAsync(report);

        var item = await Review.GetItemAsync(id, Ct);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 23, 59, 59, 999, TimeSpan.Zero), item!.FirstReportedAt);
        Assert.Equal(report.PostedAt, item.PostedAt);
        Assert.Equal(TimeSpan.Zero, item.PostedAt!.Value.Offset);
    }

    [SkippableTheory]
    [InlineData("https://example.test/p/1", "https://example.test/p/1/")]
    [InlineData("https://example.test/p/1", "https://EXAMPLE.test/p/1")]
    [InlineData("https://example.test/p/1", "https://example.test/p/1#comments")]
    [InlineData("https://example.test/p/1", "HTTPS://example.test:443/p/1")]
    public async Task StoreReports_SameUrlVariant_IsLinkedToFirstItem(string first, string variant)
    {
        var firstId = await IngestAsync(Reports.New(url: first));
        Time.Advance(TimeSpan.FromMinutes(5));

        var result = Assert.Single(await Intake.StoreReportsAsync([Reports.New(url: variant)], "api", null, Ct));

        Assert.Equal(firstId, result.ItemId);
        Assert.Equal(firstId, result.DuplicateOf);
        var item = await Review.GetItemAsync(firstId, Ct);
        Assert.Equal(2, item!.ReportCount);
        Assert.Equal(Start, item.FirstReportedAt);
        Assert.Equal(Start.AddMinutes(5), item.LastReportedAt);
        Assert.Equal(first, item.Url);
    }

    [SkippableFact]
    public async Task StoreReports_SameNormalisedTextAtAnotherUrl_IsLinkedToFirstItem()
    {
        var firstId = await IngestAsync(Reports.New(text: "Safe   crossing to the UK.\nCall now"));

        var result = Assert.Single(await Intake.StoreReportsAsync([Reports.New(text: "SAFE crossing to the uk. call NOW ")], "import", null, Ct));

        Assert.Equal(firstId, result.DuplicateOf);
        Assert.Equal(2, (await Review.GetItemAsync(firstId, Ct))!.ReportCount);
    }

    [SkippableFact]
    public async Task StoreReports_KeepsEveryReport_WithADuplicatesOwnTextAndReporter()
    {
        var firstId = await IngestAsync(Reports.New(url: "https://example.test/p/9", text: "first wording"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var again = Reports.New(url: "https://example.test/p/9/", text: "edited wording after the first report") with
        {
            Reporter = new Reporter("Ana", "ana@ngo.example.org", "NGO"),
        };

        await Intake.StoreReportsAsync([again], "import", null, Ct);

        var reports = await Review.GetReportsAsync(firstId, Ct);
        Assert.Equal(2, reports.Count);
        Assert.False(reports[0].Duplicate);
        Assert.Null(reports[0].Text);
        Assert.True(reports[1].Duplicate);
        Assert.Equal("edited wording after the first report", reports[1].Text);
        Assert.Equal("https://example.test/p/9/", reports[1].Url);
        Assert.Equal("import", reports[1].Source);
        Assert.Equal(new Reporter("Ana", "ana@ngo.example.org", "NGO"), reports[1].Reporter);
        Assert.Equal(Start.AddMinutes(1), reports[1].ReceivedAt);
    }

    [SkippableFact]
    public async Task StoreReports_SameUrlOnAnotherPlatform_IsANewItem()
    {
        var firstId = await IngestAsync(Reports.New(platform: "alpha", url: "https://shared.test/p/1", text: "same text"));

        var result = Assert.Single(await Intake.StoreReportsAsync(
            [Reports.New(platform: "beta", url: "https://shared.test/p/1", text: "same text")], "api", null, Ct));

        Assert.Null(result.DuplicateOf);
        Assert.NotEqual(firstId, result.ItemId);
    }

    [SkippableFact]
    public async Task StoreReports_DuplicateWithinOneCall_IsLinkedToItemMadeEarlierInTheCall()
    {
        var first = Reports.New(url: "https://example.test/p/42");
        var byUrl = Reports.New(url: "https://example.test/p/42/");
        var byText = Reports.New(text: first.Text);
        var other = Reports.New();

        var results = await Intake.StoreReportsAsync([first, byUrl, byText, other], "api", null, Ct);

        Assert.Equal(4, results.Count);
        Assert.Null(results[0].DuplicateOf);
        Assert.Equal(results[0].ItemId, results[1].DuplicateOf);
        Assert.Equal(results[0].ItemId, results[1].ItemId);
        Assert.Equal(results[0].ItemId, results[2].DuplicateOf);
        Assert.Null(results[3].DuplicateOf);
        Assert.Equal(4, results.Select(r => r.ReportId).Distinct().Count());
        Assert.Equal(3, (await Review.GetItemAsync(results[0].ItemId, Ct))!.ReportCount);
    }

    [SkippableFact]
    public async Task StoreReports_KeepsEveryReport_DuplicatesIncluded()
    {
        var first = Reports.New();
        await Intake.StoreReportsAsync([first, first, first with { Reporter = null }], "api", null, Ct);
        await Intake.StoreReportsAsync([first], "import", null, Ct);

        Assert.Equal(1, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM items", Ct));
        Assert.Equal(4, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM reports", Ct));
        Assert.Equal(3, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM reports WHERE duplicate = 1", Ct));
        Assert.Equal(1, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM reports WHERE source = 'import'", Ct));
    }

    [SkippableFact]
    public async Task StoreReports_WithScanMark_StoresOnce_AndReturnsNothingWhenTakenAgain()
    {
        var mark = new ScanMark("scan:feed", "chunk-0001");
        Assert.False(await ScanState.HasTakenAsync(mark.Source, mark.Key, Ct));

        var first = await Intake.StoreReportsAsync(Reports.Many(3), "scan:feed", mark, Ct);
        var again = await Intake.StoreReportsAsync(Reports.Many(3), "scan:feed", mark, Ct);

        Assert.Equal(3, first.Count);
        Assert.Empty(again);
        Assert.True(await ScanState.HasTakenAsync(mark.Source, mark.Key, Ct));
        Assert.False(await ScanState.HasTakenAsync("scan:other", mark.Key, Ct));
        Assert.Equal(3, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM reports", Ct));
    }

    [SkippableFact]
    public async Task StoreReports_FailureMidBatch_StoresNothing()
    {
        var mark = new ScanMark("scan:feed", "chunk-bad");
        List<ReportInput> batch = [Reports.New(), Reports.New(), Reports.New(url: "not a url"), Reports.New()];

        await Assert.ThrowsAnyAsync<Exception>(() => Intake.StoreReportsAsync(batch, "scan:feed", mark, Ct));

        Assert.Equal(0, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM items", Ct));
        Assert.Equal(0, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM reports", Ct));
        Assert.False(await ScanState.HasTakenAsync(mark.Source, mark.Key, Ct));
    }

    [SkippableFact]
    public async Task StoreReports_CancelledDuringBatch_StoresNothing()
    {
        using var cancel = new CancellationTokenSource();
        var batch = new CancellingBatch(Reports.Many(1_000), cancelAt: 500, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Intake.StoreReportsAsync(batch, "api", null, cancel.Token));

        Assert.Equal(0, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM items", Ct));
        Assert.Equal(0, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM reports", Ct));
    }

    [SkippableFact]
    public async Task StoreReports_AlreadyCancelled_StoresNothing()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Intake.StoreReportsAsync(Reports.Many(2), "api", null, cancel.Token));

        Assert.Equal(0, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM reports", Ct));
    }

    [SkippableFact]
    public async Task StoreReports_ThousandReportsInOneCall_AreAllStored()
    {
        await IngestAsync(Reports.New()); // warm up: pool, statements, JIT
        var batches = Enumerable.Range(0, 3).Select(_ => Reports.Many(1_000)).ToList();

        var watch = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            var results = await Intake.StoreReportsAsync(batch, "import", null, Ct);
            Assert.Equal(1_000, results.Count);
            Assert.All(results, r => Assert.Null(r.DuplicateOf));
        }

        watch.Stop();
        output.WriteLine($"{typeof(TProvider).Name}: 3 x 1,000 reports in {watch.ElapsedMilliseconds} ms = {3_000 / watch.Elapsed.TotalSeconds:N0} reports/s");
        Assert.Equal(3_001, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM items", Ct));
        Assert.Equal(3_001, await Classification.CountPendingAsync(Ct));
    }

    [SkippableFact]
    public async Task StoreReports_ConcurrentCallsWithTheSameUrl_MakeOneItem()
    {
        var url = "https://example.test/p/race";
        var calls = Enumerable.Range(0, 8).Select(_ => Task.Run(() => Intake.StoreReportsAsync([Reports.New(url: url)], "api", null, Ct)));

        var results = (await Task.WhenAll(calls)).SelectMany(r => r).ToList();

        Assert.Single(results.Select(r => r.ItemId).Distinct());
        Assert.Equal(7, results.Count(r => r.DuplicateOf is not null));
        Assert.Equal(8, (await Review.GetItemAsync(results[0].ItemId, Ct))!.ReportCount);
    }

    /// <summary>A batch that cancels the token when the store reads the report at <c>cancelAt</c>: a cancel mid-way.</summary>
    private sealed class CancellingBatch(IReadOnlyList<ReportInput> reports, int cancelAt, CancellationTokenSource cancel) : IReadOnlyList<ReportInput>
    {
        public int Count => reports.Count;

        public ReportInput this[int index]
        {
            get
            {
                if (index == cancelAt)
                {
                    cancel.Cancel();
                }

                return reports[index];
            }
        }

        public IEnumerator<ReportInput> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
