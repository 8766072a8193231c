using System.Data.Common;
using ContentWatch.Core.Audit;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Reports;
using ContentWatch.Storage.Tests.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Storage.Tests.Contracts;

/// <summary>Push delivery, re-checks, the audit chain, evidence seals and the transparency figures, as every provider must store them.</summary>
public abstract class FollowUpContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    private IDeliveryStore Deliveries => Services.GetRequiredService<IDeliveryStore>();
    private IRecheckStore Rechecks => Services.GetRequiredService<IRecheckStore>();
    private IAuditStore Audit => Services.GetRequiredService<IAuditStore>();
    private ITransparencyStore Transparency => Services.GetRequiredService<ITransparencyStore>();

    private async Task<string> ExportedAsync(string platform, string? url = null)
    {
        var (_, referralId) = await ConfirmedAsync(Reports.New(platform, url));
        var batch = await Exports.CreateBatchAsync(platform, new("Unit", "unit@example.org"), "In good faith.", Ct);
        Assert.NotNull(batch);
        return referralId;
    }

    [SkippableFact]
    public async Task ExportDeliveries_AreMadeOncePerBatch_OnlyForBatchesSinceTheWebhookWasSet()
    {
        await ExportedAsync("alpha");
        Time.Advance(TimeSpan.FromSeconds(1));
        await Deliveries.SetWebhookAsync("alpha", "https://hooks.test/alpha", "protected-1", "admin", Start, Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        await ExportedAsync("alpha");
        await ExportedAsync("beta");

        var first = await Deliveries.CreateExportDeliveriesAsync(Ct);
        var again = await Deliveries.CreateExportDeliveriesAsync(Ct);

        Assert.Single(first);
        Assert.Empty(again);
        Assert.Equal(first, await Deliveries.DueAsync(10, Ct));
    }

    [SkippableFact]
    public async Task Claim_HandsADeliveryToOneAttemptAtATime_AndTheAttemptIsLogged()
    {
        await Deliveries.SetWebhookAsync("alpha", "https://hooks.test/alpha", "protected-1", "admin", Start, Ct);
        await ExportedAsync("alpha");
        var id = Assert.Single(await Deliveries.CreateExportDeliveriesAsync(Ct));

        var work = await Deliveries.ClaimAsync(id, "token-1", TimeSpan.FromMinutes(5), Ct);
        Assert.NotNull(work);
        Assert.Equal("protected-1", work.Webhook!.ProtectedSecret);
        Assert.Equal(DeliveryKinds.Export, work.Kind);
        Assert.Null(await Deliveries.ClaimAsync(id, "token-2", TimeSpan.FromMinutes(5), Ct));
        Assert.Empty(await Deliveries.DueAsync(10, Ct));

        var now = Time.GetUtcNow();
        Assert.False(await Deliveries.RecordAttemptAsync(new(id, "token-2", 1, now, 500, "HTTP 500", 12, AttemptStatus.Failed, DeliveryStatus.Pending, now.AddMinutes(1)), Ct));
        Assert.True(await Deliveries.RecordAttemptAsync(new(id, "token-1", 1, now, 500, "HTTP 500", 12, AttemptStatus.Failed, DeliveryStatus.Pending, now.AddMinutes(1)), Ct));
        Assert.Null(await Deliveries.ClaimAsync(id, "token-3", TimeSpan.FromMinutes(5), Ct)); // not due for a minute
        Assert.False(await Deliveries.ResendAsync("alpha", id, Ct)); // still pending

        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([id], await Deliveries.DueAsync(10, Ct));
        var second = await Deliveries.ClaimAsync(id, "token-4", TimeSpan.FromMinutes(5), Ct);
        Assert.Equal(1, second!.Attempts);
        Assert.True(await Deliveries.RecordAttemptAsync(new(id, "token-4", 2, Time.GetUtcNow(), 200, null, 8, AttemptStatus.Delivered, DeliveryStatus.Delivered, Time.GetUtcNow()), Ct));

        var attempts = await Deliveries.ListAttemptsAsync("alpha", 10, Ct);
        Assert.Equal([2, 1], attempts.Select(a => a.Attempt));
        Assert.Equal([AttemptStatus.Delivered, AttemptStatus.Failed], attempts.Select(a => a.Status));
        Assert.Equal([200, 500], attempts.Select(a => a.HttpStatus));
        Assert.Empty(await Deliveries.ListAttemptsAsync("beta", 10, Ct));
        Assert.True(await Deliveries.ResendAsync("alpha", id, Ct));
        Assert.False(await Deliveries.ResendAsync("beta", id, Ct));
        Assert.NotNull(await Deliveries.ClaimAsync(id, "token-5", TimeSpan.FromMinutes(5), Ct));
    }

    [SkippableFact]
    public async Task SetWebhook_Rotates_KeepingThePreviousSecretUntilItExpires()
    {
        var first = await Deliveries.SetWebhookAsync("alpha", "https://hooks.test/1", "protected-1", "admin", Start.AddHours(24), Ct);
        Assert.Null(first.PreviousSecretExpiresAt);
        Time.Advance(TimeSpan.FromHours(1));
        var second = await Deliveries.SetWebhookAsync("alpha", "https://hooks.test/2", "protected-2", "admin-2", Time.GetUtcNow().AddHours(24), Ct);
        Assert.Equal("https://hooks.test/2", second.Url);
        Assert.Equal(first.CreatedAt, second.CreatedAt);
        Assert.Equal(Time.GetUtcNow().AddHours(24), second.PreviousSecretExpiresAt);

        var id = await Deliveries.CreateReminderAsync("alpha", "{\"type\":\"referrals.overdue\"}", [], Ct);
        var work = await Deliveries.ClaimAsync(id, "t", TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(("protected-2", "protected-1"), (work!.Webhook!.ProtectedSecret, work.Webhook.ProtectedPreviousSecret));
        Assert.Equal("{\"type\":\"referrals.overdue\"}", work.Body);
    }

    [SkippableFact]
    public async Task GoneChecksInARow_MarkTheReferralRemovedAsObserved_AnErrorBreaksNoRun()
    {
        var referralId = await ExportedAsync("alpha");
        var goneAt = Time.GetUtcNow();

        Assert.False(await Rechecks.RecordCheckAsync(new(referralId, goneAt, ObservedState.Gone, 404, null, null), 2, Ct));
        Time.Advance(TimeSpan.FromMinutes(30));
        Assert.False(await Rechecks.RecordCheckAsync(new(referralId, Time.GetUtcNow(), ObservedState.Error, null, null, "timeout"), 2, Ct));
        Time.Advance(TimeSpan.FromMinutes(30));
        Assert.True(await Rechecks.RecordCheckAsync(new(referralId, Time.GetUtcNow(), ObservedState.Gone, 410, null, null), 2, Ct));

        var referral = await Referrals.GetReferralAsync(referralId, Ct);
        Assert.Equal(ReferralStatus.Removed, referral!.Status);
        Assert.Equal(StatusSource.Observed, referral.Source);
        Assert.Equal(goneAt, referral.StatusAt); // removed as of the first gone check
        Assert.Equal(new Observation(ObservedState.Gone, 410, Time.GetUtcNow()), referral.Observed);
        Assert.Equal(3, await Provider.ScalarAsync<int>($"SELECT COUNT(*) FROM referral_checks WHERE referral_id = '{referralId}'", Ct));
        Assert.Equal(1, await Provider.ScalarAsync<int>($"SELECT COUNT(*) FROM referral_status_events WHERE referral_id = '{referralId}' AND actor = 'recheck'", Ct));
        Assert.DoesNotContain(await Rechecks.OpenReferralsAsync(10, Ct), r => r.Id == referralId);
    }

    [SkippableFact]
    public async Task ALiveCheckEndsTheRun_AndAPlatformsOwnReportIsNeverOverwritten()
    {
        var live = await ExportedAsync("alpha");
        Assert.False(await Rechecks.RecordCheckAsync(new(live, Time.GetUtcNow(), ObservedState.Gone, 404, null, null), 2, Ct));
        Assert.False(await Rechecks.RecordCheckAsync(new(live, Time.GetUtcNow(), ObservedState.Live, 200, "aa", null), 2, Ct));
        Assert.False(await Rechecks.RecordCheckAsync(new(live, Time.GetUtcNow(), ObservedState.Gone, 404, null, null), 2, Ct));
        Assert.Equal(ReferralStatus.Exported, (await Referrals.GetReferralAsync(live, Ct))!.Status);
        Assert.Equal("aa", (await Rechecks.OpenReferralsAsync(10, Ct)).Single(r => r.Id == live).LastContentSha256);

        var reported = await ExportedAsync("beta");
        Assert.True(await Referrals.RecordStatusAsync(new(reported, ReferralStatus.Rejected, Time.GetUtcNow(), "legal here", "key:p"), Ct));
        Assert.False(await Rechecks.RecordCheckAsync(new(reported, Time.GetUtcNow(), ObservedState.Gone, 404, null, null), 1, Ct));
        var referral = await Referrals.GetReferralAsync(reported, Ct);
        Assert.Equal((ReferralStatus.Rejected, StatusSource.Platform), (referral!.Status, referral.Source));
    }

    [SkippableFact]
    public async Task NotifiedOpen_AndTheTransparencyFigures_ReadExportedReferralsByTheirNoticeTime()
    {
        var removed = await ExportedAsync("alpha");
        var open = await ExportedAsync("alpha");
        await Referrals.RecordStatusAsync(new(removed, ReferralStatus.Removed, Start.AddHours(3), null, "key:p"), Ct);
        await ConfirmedAsync(Reports.New("alpha")); // pending: no notice sent

        var notified = await Rechecks.NotifiedOpenAsync(Time.GetUtcNow(), Ct);
        Assert.Equal([open], notified.Select(n => n.ReferralId));
        Assert.Empty(await Rechecks.NotifiedOpenAsync(Start.AddSeconds(-1), Ct));

        var notices = await Transparency.NoticesAsync(Start.AddDays(-1), Start.AddDays(1), Ct);
        Assert.Equal(new[] { removed, open }.Order(), notices.Select(n => n.ReferralId).Order());
        var gone = notices.Single(n => n.ReferralId == removed);
        Assert.Equal((ReferralStatus.Removed, StatusSource.Platform, Start.AddHours(3), "en"), (gone.Status, gone.StatusSource, gone.StatusAt!.Value, gone.Language));
        Assert.Empty(await Transparency.NoticesAsync(Start.AddDays(1), Start.AddDays(2), Ct));
        var flags = await Transparency.FlagDecisionsAsync(Start.AddDays(-1), Start.AddDays(1), Ct);
        Assert.Equal(3, flags.Count(f => f.Decision == "confirm" && f.Platform == "alpha"));
    }

    [SkippableFact]
    public async Task TheDecisionsChain_LinksEveryRecord_AndTheVerifierNamesATamperedOne()
    {
        var (itemId, _) = await ConfirmedAsync(Reports.New());
        await ConfirmedAsync(Reports.New());
        await Review.RecordDecisionAsync(Decide.Confirm(itemId), "again", Ct);
        var verifier = new AuditVerifier(Audit);

        var chain = new List<ChainedDecision>();
        await foreach (var record in Audit.ReadDecisionChainAsync(Ct))
        {
            chain.Add(record);
        }

        Assert.Equal(3, chain.Count);
        Assert.Null(chain[0].PreviousHash);
        Assert.Equal(chain[0].Hash, chain[1].PreviousHash);
        Assert.Equal(chain[1].Hash, chain[2].PreviousHash);
        Assert.All(chain, c => Assert.Equal(AuditChain.Hash(c.PreviousHash, c.Entry), c.Hash));
        var intact = await verifier.VerifyAsync(Ct);
        Assert.True(intact.Intact);
        Assert.Equal(chain[2].Hash, intact.Decisions.HeadHash);

        var disable = Provider is SqliteProvider ? "DROP TRIGGER tr_decisions_no_update;" : "DISABLE TRIGGER tr_decisions_no_update ON decisions;";
        await Provider.ExecuteAsync($"{disable} UPDATE decisions SET actor = 'someone-else' WHERE id = '{chain[1].Entry.Id}';", Ct);
        var broken = await verifier.VerifyAsync(Ct);
        Assert.Equal(chain[1].Entry.Id, Assert.Single(broken.Faults).RecordId);
    }

    [SkippableFact]
    public async Task ASnapshotIsSealedOnce_AndNeitherChangedNorRemoved()
    {
        var (itemId, referralId) = await ConfirmedAsync(Reports.New());
        Assert.Equal([(referralId, itemId)], await Audit.UnsealedAsync(10, Ct));
        var snapshot = new EvidenceSnapshot(referralId, itemId, Time.GetUtcNow(), EvidenceService.Sha256("{\"a\":1}"), "{\"a\":1}");

        Assert.True(await Audit.SealAsync(snapshot, Ct));
        Assert.False(await Audit.SealAsync(snapshot with { Snapshot = "{\"a\":2}", Sha256 = EvidenceService.Sha256("{\"a\":2}") }, Ct));
        Assert.Equal(snapshot, await Audit.GetSnapshotAsync(referralId, Ct));
        Assert.Empty(await Audit.UnsealedAsync(10, Ct));
        await Assert.ThrowsAnyAsync<DbException>(() => Provider.ExecuteAsync("UPDATE evidence_snapshots SET snapshot = '{}'", Ct));
        await Assert.ThrowsAnyAsync<DbException>(() => Provider.ExecuteAsync("DELETE FROM evidence_snapshots", Ct));
        Assert.True((await new AuditVerifier(Audit).VerifyAsync(Ct)).Intact);
    }
}
