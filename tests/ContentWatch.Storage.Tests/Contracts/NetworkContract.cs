using ContentWatch.Core.Classification;
using ContentWatch.Core.Networks;
using ContentWatch.Core.Review;
using ContentWatch.Storage.Tests.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Storage.Tests.Contracts;

/// <summary>Indicators, clusters and the watchlist: what the network and watchlist stores must do on every provider.</summary>
public abstract class NetworkContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    private const double Threshold = 0.8;
    private static readonly IndicatorExtractor Extractor = new();

    private const string Advert =
        "Boat to UK from Calais every night, safe and fast, children welcome, guaranteed arrival or money back. Price {0} euro per person. WhatsApp {1}";

    protected INetworkStore Networks => Services.GetRequiredService<INetworkStore>();
    protected IWatchlistStore Watchlist => Services.GetRequiredService<IWatchlistStore>();

    private static ItemAnalysis Analyse(string itemId, string text)
    {
        var matches = Extractor.Extract(text);
        var signature = MinHasher.Signature(MinHasher.Shape(text, matches));
        return new ItemAnalysis(itemId, [.. matches.Select(m => m.Indicator).Distinct()], signature, MinHasher.BandKeys(signature, 20, 6));
    }

    /// <summary>Ingests a report and stores its analysis, as the classification pass does.</summary>
    private async Task<(string Id, AnalysisResult Result)> AnalysedAsync(string text, string platform = "example")
    {
        var id = await IngestAsync(Reports.New(platform, text: text));
        var result = await Networks.SaveAnalysisAsync([Analyse(id, text)], Threshold, Ct);
        return (id, Assert.Single(result));
    }

    [SkippableFact]
    public async Task SaveAnalysis_StoresTheIndicators_AndReplacesThemWhenRunAgain()
    {
        var text = string.Format(null, Advert, 1500, "+44 7700 900123") + " mail boss@smuggle.example.com";
        var (id, first) = await AnalysedAsync(text);

        var again = await Networks.SaveAnalysisAsync([Analyse(id, text)], Threshold, Ct);
        var network = await Networks.GetItemNetworkAsync(id, Ct);

        Assert.True(network.Analysed);
        Assert.Contains(new Indicator(IndicatorTypes.Phone, "+447700900123"), network.Indicators);
        Assert.Contains(new Indicator(IndicatorTypes.WhatsApp, "+447700900123"), network.Indicators);
        Assert.Contains(new Indicator(IndicatorTypes.Email, "boss@smuggle.example.com"), network.Indicators);
        Assert.Equal(network.Indicators.Count, network.Indicators.Distinct().Count());
        Assert.Null(first.ClusterId);
        Assert.Null(Assert.Single(again).ClusterId);
        Assert.False((await Networks.GetItemNetworkAsync(await IngestAsync(Reports.New()), Ct)).Analysed);
    }

    [SkippableFact]
    public async Task NearDuplicates_ShareOneCluster_AndDifferentTextsDoNot()
    {
        var copies = new List<string>();
        string? clusterId = null;
        for (var i = 0; i < 5; i++)
        {
            var (id, result) = await AnalysedAsync(string.Format(null, Advert, 1400 + i * 50, $"+44 7700 90012{i}"), platform: i % 2 == 0 ? "facebook" : "telegram");
            copies.Add(id);
            Time.Advance(TimeSpan.FromMinutes(1));
            if (i > 0)
            {
                clusterId ??= result.ClusterId;
                Assert.NotNull(result.ClusterId);
                Assert.Equal(clusterId, result.ClusterId);
            }
        }

        var (otherId, other) = await AnalysedAsync("My grandmother's lentil soup: fry two onions, add red lentils, cumin and lemon, simmer twenty minutes.");
        var cluster = await Networks.GetClusterAsync(clusterId!, 100, 500, Ct);

        Assert.Null(other.ClusterId);
        Assert.Equal(5, cluster!.Size);
        Assert.Equal(copies, cluster.Members.Select(m => m.Id));
        Assert.Equal(["facebook", "telegram"], cluster.Members.Select(m => m.Platform).Distinct().Order());
        Assert.Equal(clusterId, (await Networks.GetItemNetworkAsync(copies[0], Ct)).ClusterId);
        Assert.Equal(5, (await Networks.GetItemNetworkAsync(copies[0], Ct)).ClusterSize);
        Assert.Null((await Networks.GetItemNetworkAsync(otherId, Ct)).ClusterId);
        Assert.Equal(copies, await Networks.GetOpenMembersAsync(clusterId!, 100, Ct));
        Assert.Null(await Networks.GetClusterAsync("00000000000000000000000000000000", 10, 10, Ct));
    }

    [SkippableFact]
    public async Task NearDuplicates_InOneBatch_ShareOneCluster_WithAnEarlierStoredCopy()
    {
        var (stored, _) = await AnalysedAsync(string.Format(null, Advert, 1000, "+44 7700 900100"));
        var ids = new List<string>();
        var analyses = new List<ItemAnalysis>();
        for (var i = 0; i < 4; i++)
        {
            var text = string.Format(null, Advert, 1100 + i, $"+44 7700 90011{i}");
            ids.Add(await IngestAsync(Reports.New(text: text)));
            analyses.Add(Analyse(ids[^1], text));
        }

        analyses.Add(Analyse(await IngestAsync(Reports.New(text: "Completely different: the council meets on Tuesday about the new library opening hours.")), "Completely different: the council meets on Tuesday about the new library opening hours."));
        var results = await Networks.SaveAnalysisAsync(analyses, Threshold, Ct);
        var again = await Networks.SaveAnalysisAsync(analyses, Threshold, Ct);

        var clusterId = results[0].ClusterId;
        Assert.NotNull(clusterId);
        Assert.All(results.Take(4), r => Assert.Equal(clusterId, r.ClusterId));
        Assert.Null(results[4].ClusterId);
        Assert.Equal(clusterId, (await Networks.GetItemNetworkAsync(stored, Ct)).ClusterId);
        Assert.Equal(results.Select(r => r.ClusterId), again.Select(r => r.ClusterId));
        Assert.Equal(5, (await Networks.GetClusterAsync(clusterId!, 10, 10, Ct))!.Size);
    }

    [SkippableFact]
    public async Task NearDuplicates_StoredByWorkersAtOnce_StillShareOneCluster()
    {
        var analyses = new List<ItemAnalysis>();
        for (var i = 0; i < 6; i++)
        {
            var text = string.Format(null, Advert, 1300 + i * 10, $"+44 7700 90030{i}");
            analyses.Add(Analyse(await IngestAsync(Reports.New(text: text)), text));
        }

        // six workers, one copy each, all at once (each store call is a worker's batch)
        var results = await Task.WhenAll(analyses.Select(a => Task.Run(() => Networks.SaveAnalysisAsync([a], Threshold, Ct))));

        var clusters = results.Select(r => Assert.Single(r).ClusterId).ToList();
        Assert.Single(clusters.Where(c => c is not null).Distinct());
        Assert.Equal(6, (await Networks.GetClusterAsync(clusters.First(c => c is not null)!, 10, 10, Ct))!.Size);
    }

    [SkippableFact]
    public async Task Confirming_PutsTheIndicatorsOnTheWatchlist_OnceCitingTheDecision_AndANewItemSharingOneHitsIt()
    {
        var text = string.Format(null, Advert, 1500, "+44 7700 900123");
        var id = await InReviewAsync(Reports.New(text: text));
        await Networks.SaveAnalysisAsync([Analyse(id, text)], Threshold, Ct);
        var decision = await Review.RecordDecisionAsync(Decide.Confirm(id, Labels.SmugglingService), "explained", Ct);

        var added = await Watchlist.AddConfirmedAsync(id, Ct);
        var again = await Watchlist.AddConfirmedAsync(null, Ct);
        var entries = await Watchlist.ListAsync(new Indicator(IndicatorTypes.Phone, "+447700900123"), false, 10, Ct);
        var audit = await Review.GetAuditAsync(id, Ct);

        Assert.Equal(2, added); // phone and whatsapp
        Assert.Equal(0, again);
        var entry = Assert.Single(entries);
        Assert.Equal(id, entry.ItemId);
        Assert.Equal(Assert.Single(audit).Id, entry.DecisionId);
        Assert.Equal(Labels.SmugglingService, entry.Category);
        Assert.Equal("officer-1", entry.AddedBy);
        Assert.NotNull(decision.ReferralId);

        var later = "Nice flat for rent in town, call me on 0044.7700.900.123";
        var (laterId, hit) = await AnalysedAsync(later);
        var watched = Assert.Single(hit.Hits, h => h.Type == IndicatorTypes.Phone);
        Assert.Equal(entry.Id, watched.EntryId);
        Assert.Equal(id, watched.ItemId);

        // sorts above an item of the same score: both 0.3 in review, the watched one first
        var plain = await InReviewAsync(Reports.New(), score: 0.3);
        await Classification.SaveVerdictsAsync([new ClassifiedItem(laterId, AVerdict(Labels.SmugglingService, 0.3), ItemStatus.InReview)], Ct);
        var queue = await Review.GetQueueAsync(10, Ct);
        Assert.True(queue.Select(q => q.Id).ToList().IndexOf(laterId) < queue.Select(q => q.Id).ToList().IndexOf(plain));
        var page = await Desk.GetQueuePageAsync(new QueueFilter(MaxScore: 0.5), 0, 10, Ct);
        Assert.Equal([laterId, plain], page.Lines.Select(l => l.Id));
    }

    [SkippableFact]
    public async Task OfficersAddAndRemoveEntries_Audited_AndARemovedEntryNoLongerHits()
    {
        var entry = await Watchlist.AddAsync(new Indicator(IndicatorTypes.Telegram, "boss_channel"), "Known forger", "key:officer", Ct);
        var (_, before) = await AnalysedAsync("Telegram @Boss_Channel for papers");

        Time.Advance(TimeSpan.FromMinutes(5));
        var removed = await Watchlist.RemoveAsync(entry.Id, "Account taken over by police", "key:admin", Ct);
        var removedAgain = await Watchlist.RemoveAsync(entry.Id, "again", "key:admin", Ct);
        var (_, after) = await AnalysedAsync("Telegram @Boss_Channel again for papers, new stock");
        var events = await Watchlist.GetEventsAsync(entry.Id, Ct);

        Assert.Equal(entry.Id, Assert.Single(before.Hits).EntryId);
        Assert.Null(before.Hits[0].ItemId);
        Assert.Empty(after.Hits);
        Assert.Equal(Start + TimeSpan.FromMinutes(5), removed!.RemovedAt);
        Assert.Equal("key:admin", removed.RemovedBy);
        Assert.Equal(removed, removedAgain);
        Assert.Null(await Watchlist.RemoveAsync("00000000000000000000000000000000", null, "key:admin", Ct));
        Assert.Equal([WatchlistActions.Add, WatchlistActions.Remove], events.Select(e => e.Action));
        Assert.Equal(["key:officer", "key:admin"], events.Select(e => e.Actor));
        Assert.Empty(await Watchlist.ListAsync(null, false, 10, Ct));
        Assert.Single(await Watchlist.ListAsync(null, true, 10, Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => Provider.ExecuteAsync("UPDATE watchlist_events SET actor = 'someone else';", Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => Provider.ExecuteAsync("DELETE FROM watchlist_events;", Ct));
    }

    [SkippableFact]
    public async Task Sightings_ListTheItemsSharingAnIndicator_WithPlatformsAndSpan()
    {
        var (a, _) = await AnalysedAsync("Papers fast, write to forger@docs.example.com", platform: "facebook");
        Time.Advance(TimeSpan.FromHours(1));
        var (b, _) = await AnalysedAsync("Passports and visas, FORGER@docs.example.com", platform: "tiktok");
        await AnalysedAsync("unrelated@else.example.com");

        var sightings = await Networks.GetSightingsAsync(new Indicator(IndicatorTypes.Email, "forger@docs.example.com"), 10, Ct);
        var first = await Networks.GetSightingsAsync(new Indicator(IndicatorTypes.Email, "forger@docs.example.com"), 1, Ct);

        Assert.Equal(2, sightings.ItemCount);
        Assert.Equal([a, b], sightings.Items.Select(i => i.ItemId));
        Assert.Equal(["facebook", "tiktok"], sightings.Platforms);
        Assert.Equal(Start, sightings.FirstSeen);
        Assert.Equal(Start + TimeSpan.FromHours(1), sightings.LastSeen);
        Assert.Equal(2, first.ItemCount);
        Assert.Single(first.Items);
    }

    [SkippableFact]
    public async Task SharedIndicators_AreTheActiveWatchlist_WithoutAnyReportersEmail()
    {
        var text = "Visas, write to agent@visa.example.com or +33 6 12 34 56 78";
        var id = await InReviewAsync(Reports.New(platform: "facebook", text: text));
        await Networks.SaveAnalysisAsync([Analyse(id, text)], Threshold, Ct);
        await Review.RecordDecisionAsync(Decide.Confirm(id, Labels.DocumentFraud), "explained", Ct);
        await Watchlist.AddConfirmedAsync(id, Ct);
        var reporterMail = await Watchlist.AddAsync(new Indicator(IndicatorTypes.Email, "ana@example.org"), "typed by mistake", "key:officer", Ct);
        var removed = await Watchlist.AddAsync(new Indicator(IndicatorTypes.Domain, "gone.example.com"), "x", "key:officer", Ct);
        await Watchlist.RemoveAsync(removed.Id, null, "key:officer", Ct);

        var shared = await Networks.GetSharedIndicatorsAsync(Ct);

        Assert.Equal(
            [(IndicatorTypes.Email, "agent@visa.example.com"), (IndicatorTypes.Phone, "+33612345678")],
            shared.Select(s => (s.Type, s.Value)).Order());
        Assert.All(shared, s =>
        {
            Assert.Equal(["facebook"], s.Platforms);
            Assert.Equal([Labels.DocumentFraud], s.Categories);
            Assert.Equal(1, s.ItemCount);
            Assert.Equal(Start, s.FirstSeen);
        });
        Assert.DoesNotContain(shared, s => s.Value == reporterMail.Value); // Reports.New's reporter is ana@example.org
    }

    [SkippableFact]
    public async Task Entities_AreStoredWithTheAnalysis_AndReplacedWhenGivenAgain()
    {
        var id = await IngestAsync(Reports.New(text: "Leaving from Calais with Channel Travel Ltd"));
        var analysis = Analyse(id, "Leaving from Calais with Channel Travel Ltd");

        await Networks.SaveAnalysisAsync([analysis with { Entities = [new ItemEntity("location", "Calais"), new ItemEntity("organization", "Channel Travel Ltd")] }], Threshold, Ct);
        var first = await Networks.GetItemNetworkAsync(id, Ct);
        await Networks.SaveAnalysisAsync([analysis with { Entities = [new ItemEntity("location", "Dover")] }], Threshold, Ct);
        var second = await Networks.GetItemNetworkAsync(id, Ct);
        await Networks.SaveAnalysisAsync([analysis], Threshold, Ct); // no entity service: the stored ones stay

        Assert.Equal([new ItemEntity("location", "Calais"), new ItemEntity("organization", "Channel Travel Ltd")], first.Entities);
        Assert.Equal([new ItemEntity("location", "Dover")], second.Entities);
        Assert.Equal([new ItemEntity("location", "Dover")], (await Networks.GetItemNetworkAsync(id, Ct)).Entities);
    }

    [SkippableFact]
    public async Task ADecisionForACluster_NamesItInTheAudit()
    {
        var (id, _) = await AnalysedAsync(string.Format(null, Advert, 1500, "+44 7700 900123"));
        var (copy, placed) = await AnalysedAsync(string.Format(null, Advert, 1900, "+44 7700 900999"));

        await Review.RecordDecisionAsync(Decide.Confirm(copy, Labels.SmugglingService) with { ClusterId = placed.ClusterId }, "explained", Ct);

        Assert.Equal(placed.ClusterId, Assert.Single(await Review.GetAuditAsync(copy, Ct)).ClusterId);
        Assert.Equal([id], await Networks.GetOpenMembersAsync(placed.ClusterId!, 10, Ct));
    }

    [SkippableFact]
    public async Task ClusterDecisionsAndWatchlistChanges_AreChainedInTheAudit_AndATamperedRecordIsNamed()
    {
        var audit = Services.GetRequiredService<ContentWatch.Core.Audit.IAuditStore>();
        var verifier = new ContentWatch.Core.Audit.AuditVerifier(audit);
        await AnalysedAsync(string.Format(null, Advert, 1500, "+44 7700 900123"));
        var (copy, placed) = await AnalysedAsync(string.Format(null, Advert, 1900, "+44 7700 900999"));
        await Review.RecordDecisionAsync(Decide.Confirm(copy, Labels.SmugglingService) with { ClusterId = placed.ClusterId }, "explained", Ct);
        Assert.Equal(2, await Watchlist.AddConfirmedAsync(copy, Ct));
        Time.Advance(TimeSpan.FromSeconds(1));
        var entry = await Watchlist.AddAsync(new Indicator(IndicatorTypes.Telegram, "crossing_boss"), "seen on a crossing advert", "officer-2", Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Watchlist.RemoveAsync(entry.Id, "handle reassigned", "officer-3", Ct);

        var events = new List<ContentWatch.Core.Audit.ChainedWatchlistEvent>();
        await foreach (var record in audit.ReadWatchlistChainAsync(Ct))
        {
            events.Add(record);
        }

        Assert.Equal(4, events.Count);
        Assert.Null(events[0].PreviousHash);
        Assert.All(events.Skip(1).Zip(events), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.All(events, e => Assert.Equal(ContentWatch.Core.Audit.AuditChain.Hash(e.PreviousHash, e.Event), e.Hash));
        Assert.Equal([WatchlistActions.Add, WatchlistActions.Add, WatchlistActions.Add, WatchlistActions.Remove], events.Select(e => e.Event.Action));
        var intact = await verifier.VerifyAsync(Ct);
        Assert.True(intact.Intact, string.Join("; ", intact.Faults));
        Assert.Equal((1, events[3].Hash), (intact.Decisions.Records, intact.Watchlist.HeadHash));

        var decision = Assert.Single(await Review.GetAuditAsync(copy, Ct));
        var (decisions, watchlist) = Provider is SqliteProvider
            ? ("DROP TRIGGER tr_decisions_no_update;", "DROP TRIGGER tr_watchlist_events_no_update;")
            : ("DISABLE TRIGGER tr_decisions_no_update ON decisions;", "DISABLE TRIGGER tr_watchlist_events_no_update ON watchlist_events;");
        await Provider.ExecuteAsync($"{decisions} UPDATE decisions SET cluster_id = NULL WHERE id = '{decision.Id}';", Ct);
        await Provider.ExecuteAsync($"{watchlist} UPDATE watchlist_events SET reason = 'no reason' WHERE id = '{events[3].Event.Id}';", Ct);

        var broken = await verifier.VerifyAsync(Ct);
        Assert.Equal(
            [("decisions", decision.Id), ("watchlist_events", events[3].Event.Id)],
            broken.Faults.Select(f => (f.Table, f.RecordId)));
    }
}
