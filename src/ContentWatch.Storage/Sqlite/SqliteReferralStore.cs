using ContentWatch.Core;
using ContentWatch.Core.Referral;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteReferralStore(SqliteConnectionFactory db, TimeProvider time) : IReferralStore
{
    private const string SelectReferral = """
        SELECT r.id AS Id, r.item_id AS ItemId, r.platform AS Platform, i.url AS Url, r.category AS Category, r.status AS Status,
               r.created_at AS CreatedAt, r.export_id AS ExportId, r.status_at AS StatusAt, r.status_note AS StatusNote,
               r.observed_state AS ObservedState, r.observed_http_status AS ObservedHttpStatus, r.observed_at AS ObservedAt, r.status_source AS StatusSource
        FROM referrals r
        JOIN items i ON i.id = r.item_id
        """;

    public async Task<ReferralInfo?> GetReferralAsync(string id, CancellationToken cancellationToken)
    {
        const string sql = SelectReferral + "\nWHERE r.id = @id;";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ReferralRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToInfo();
    }

    public async Task<IReadOnlyList<ReferralInfo>> ListReferralsAsync(string platform, string? status, int limit, CancellationToken cancellationToken)
    {
        const string sql = SelectReferral + """

            WHERE r.platform = @platform AND (@status IS NULL OR r.status = @status)
            ORDER BY r.created_at DESC, r.rowid DESC
            LIMIT @limit;
            """;

        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ReferralRow>(new CommandDefinition(sql, new { platform, status, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToInfo()).ToList();
    }

    public async Task<bool> RecordStatusAsync(ReferralStatusUpdate update, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE referrals SET status = @status, status_at = @at, status_note = @note, status_source = 'platform'
            WHERE id = @referralId AND (@expected IS NULL OR status = @expected);
            INSERT INTO referral_status_events (id, referral_id, status, at, note, actor, recorded_at)
            SELECT @eventId, id, @status, @at, @note, @actor, @now FROM referrals WHERE id = @referralId AND changes() = 1;
            """;

        ArgumentNullException.ThrowIfNull(update);
        ArgumentException.ThrowIfNullOrWhiteSpace(update.Status, nameof(update));
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            sql,
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
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (changed == 0)
        {
            return false;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<string>> PlatformsWithPendingAsync(CancellationToken cancellationToken)
    {
        const string sql = "SELECT DISTINCT platform FROM referrals WHERE status = 'pending' ORDER BY platform;";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(sql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }
}
