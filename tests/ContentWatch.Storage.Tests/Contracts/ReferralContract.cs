using ContentWatch.Core.Referral;
using ContentWatch.Storage.Tests.Providers;

namespace ContentWatch.Storage.Tests.Contracts;

public abstract class ReferralContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    [SkippableFact]
    public async Task GetReferral_Missing_ReturnsNull()
    {
        Assert.Null(await Referrals.GetReferralAsync("00000000000000000000000000000000", Ct));
    }

    [SkippableFact]
    public async Task RecordStatus_UpdatesTheReferral_AndKeepsTheHistory()
    {
        var (_, referralId) = await ConfirmedAsync(Reports.New());
        var receivedAt = Start.AddDays(1);
        var removedAt = Start.AddDays(2);

        Assert.True(await Referrals.RecordStatusAsync(new(referralId, ReferralStatus.Received, receivedAt, null, "platform:example"), Ct));
        Assert.True(await Referrals.RecordStatusAsync(new(referralId, ReferralStatus.Removed, removedAt, "Taken down", "platform:example"), Ct));

        var referral = await Referrals.GetReferralAsync(referralId, Ct);
        Assert.Equal(ReferralStatus.Removed, referral!.Status);
        Assert.Equal(removedAt, referral.StatusAt);
        Assert.Equal("Taken down", referral.StatusNote);
        Assert.Equal(2, await Provider.ScalarAsync<int>($"SELECT COUNT(*) FROM referral_status_events WHERE referral_id = '{referralId}'", Ct));
    }

    [SkippableFact]
    public async Task RecordStatus_WithAnExpectedStatus_WritesOnlyWhileTheReferralHasIt()
    {
        var (_, referralId) = await ConfirmedAsync(Reports.New());

        Assert.True(await Referrals.RecordStatusAsync(new(referralId, ReferralStatus.Received, Start, null, "platform:example", ReferralStatus.Pending), Ct));
        Assert.False(await Referrals.RecordStatusAsync(new(referralId, ReferralStatus.Rejected, Start, null, "platform:example", ReferralStatus.Pending), Ct));

        Assert.Equal(ReferralStatus.Received, (await Referrals.GetReferralAsync(referralId, Ct))!.Status);
        Assert.Equal(1, await Provider.ScalarAsync<int>($"SELECT COUNT(*) FROM referral_status_events WHERE referral_id = '{referralId}'", Ct));
    }

    [SkippableFact]
    public async Task RecordStatus_OnAnUnknownReferral_ReturnsFalse_AndWritesNothing()
    {
        Assert.False(await Referrals.RecordStatusAsync(new("00000000000000000000000000000000", ReferralStatus.Removed, Start, null, "platform:x"), Ct));

        Assert.Equal(0, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM referral_status_events", Ct));
    }

    [SkippableFact]
    public async Task ListReferrals_FiltersByPlatformAndStatus()
    {
        var (_, a) = await ConfirmedAsync(Reports.New(platform: "alpha"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var (_, b) = await ConfirmedAsync(Reports.New(platform: "alpha"));
        await ConfirmedAsync(Reports.New(platform: "beta"));
        await Referrals.RecordStatusAsync(new(a, ReferralStatus.Rejected, Start, "Not illegal here", "platform:alpha"), Ct);

        var alpha = await Referrals.ListReferralsAsync("alpha", null, 10, Ct);
        var alphaPending = await Referrals.ListReferralsAsync("alpha", ReferralStatus.Pending, 10, Ct);

        Assert.Equal(new[] { a, b }.Order(), alpha.Select(r => r.Id).Order());
        Assert.Equal(b, Assert.Single(alphaPending).Id);
        Assert.Single(await Referrals.ListReferralsAsync("alpha", null, 1, Ct));
        Assert.Empty(await Referrals.ListReferralsAsync("gamma", null, 10, Ct));
    }

    [SkippableFact]
    public async Task PlatformsWithPending_NamesOnlyPlatformsWithReferralsWaitingForExport()
    {
        await ConfirmedAsync(Reports.New(platform: "alpha"));
        await ConfirmedAsync(Reports.New(platform: "beta"));
        await ConfirmedAsync(Reports.New(platform: "beta"));
        await ConfirmedAsync(Reports.New(platform: "gamma"));
        await Exports.CreateBatchAsync("gamma", new("Unit", "unit@example.org"), "In good faith.", Ct);
        await InReviewAsync(Reports.New(platform: "delta"));

        var platforms = await Referrals.PlatformsWithPendingAsync(Ct);

        Assert.Equal(["alpha", "beta"], platforms);
    }
}
