using ContentWatch.Core;
using ContentWatch.Core.Referral;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerReferralStore(SqlServerConnectionFactory db, TimeProvider time) : IReferralStore
{
    private const string GetById = """
        SELECT r.id AS Id, r.item_id AS ItemId, r.platform AS Platform, i.url AS Url, r.category AS Category, r.status AS Status,
               r.created_at AS CreatedAt, r.export_id AS ExportId, r.status_at AS StatusAt, r.status_note AS StatusNote,
               r.observed_state AS ObservedState, r.observed_http_status AS ObservedHttpStatus, r.observed_at AS ObservedAt, r.status_source AS StatusSource
        FROM referrals r
        JOIN items i ON i.id = r.item_id
        WHERE r.id = @id;
        """;

    // One fixed statement per filter, so each can seek ix_referrals_platform_status.
    private const string ListByPlatform = """
        SELECT TOP (@limit) r.id AS Id, r.item_id AS ItemId, r.platform AS Platform, i.url AS Url, r.category AS Category, r.status AS Status,
               r.created_at AS CreatedAt, r.export_id AS ExportId, r.status_at AS StatusAt, r.status_note AS StatusNote,
               r.observed_state AS ObservedState, r.observed_http_status AS ObservedHttpStatus, r.observed_at AS ObservedAt, r.status_source AS StatusSource
        FROM referrals r
        JOIN items i ON i.id = r.item_id
        WHERE r.platform = @platform
        ORDER BY r.created_at DESC, r.seq DESC;
        """;

    private const string ListByPlatformAndStatus = """
        SELECT TOP (@limit) r.id AS Id, r.item_id AS ItemId, r.platform AS Platform, i.url AS Url, r.category AS Category, r.status AS Status,
               r.created_at AS CreatedAt, r.export_id AS ExportId, r.status_at AS StatusAt, r.status_note AS StatusNote,
               r.observed_state AS ObservedState, r.observed_http_status AS ObservedHttpStatus, r.observed_at AS ObservedAt, r.status_source AS StatusSource
        FROM referrals r
        JOIN items i ON i.id = r.item_id
        WHERE r.platform = @platform AND r.status = @status
        ORDER BY r.created_at DESC, r.seq DESC;
        """;

    // Answers 1 when the referral exists with the expected status, if any (updated, and its history row written), 0 when not. The answer is
    // selected rather than read from rows affected, which SET NOCOUNT would hide.
    private const string RecordStatus = """
        SET NOCOUNT ON;
        UPDATE referrals SET status = @status, status_at = @at, status_note = @note, status_source = N'platform'
        WHERE id = @referralId AND (@expected IS NULL OR status = @expected);
        DECLARE @changed int = @@ROWCOUNT;
        IF @changed > 0
            INSERT INTO referral_status_events (id, referral_id, status, at, note, actor, recorded_at)
            VALUES (@eventId, @referralId, @status, @at, @note, @actor, @now);
        SELECT @changed;
        """;

    private const string PlatformsWithPending = "SELECT DISTINCT platform FROM referrals WHERE status = N'pending' ORDER BY platform;";

    public async Task<ReferralInfo?> GetReferralAsync(string id, CancellationToken cancellationToken)
    {
        var row = await db.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<ReferralRow>(new CommandDefinition(GetById, new { id }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToInfo();
    }

    public async Task<IReadOnlyList<ReferralInfo>> ListReferralsAsync(string platform, string? status, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var sql = status is null ? ListByPlatform : ListByPlatformAndStatus;
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<ReferralRow>(new CommandDefinition(sql, new { platform, status, limit }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToInfo()).ToList();
    }

    public async Task<bool> RecordStatusAsync(ReferralStatusUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentException.ThrowIfNullOrWhiteSpace(update.Status, nameof(update));
        var changed = await db.InTransactionAsync(
            (connection, transaction, ct) => connection.ExecuteScalarAsync<int>(new CommandDefinition(
                RecordStatus,
                new
                {
                    eventId = Ids.New(),
                    referralId = update.ReferralId,
                    status = update.Status,
                    at = DbValues.Time(update.At),
                    note = update.Note,
                    actor = update.Actor,
                    now = DbValues.Time(time.GetUtcNow()),
                    expected = update.ExpectedStatus,
                },
                transaction,
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return changed > 0;
    }

    public async Task<IReadOnlyList<string>> PlatformsWithPendingAsync(CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<string>(new CommandDefinition(PlatformsWithPending, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.AsList();
    }
}
