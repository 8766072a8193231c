using ContentWatch.Core;
using ContentWatch.Core.Networks;
using ContentWatch.Storage.Rows;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteWatchlistStore(SqliteConnectionFactory db, TimeProvider time) : IWatchlistStore
{
    // The write lock (BEGIN IMMEDIATE) is held, so no other audit record can come between this read and the insert.
    private const string LastEventHash = "SELECT hash FROM watchlist_events ORDER BY rowid DESC LIMIT 1;";

    public async Task<WatchlistEntry> AddAsync(Indicator indicator, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        var row = new WatchlistRow
        {
            Id = Ids.New(), Type = indicator.Type, Value = indicator.Value, Reason = reason, AddedBy = actor, AddedAt = DbValues.Time(time.GetUtcNow()),
        };
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition(WatchlistRow.Insert, row, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await AuditAsync(connection, transaction, [(row.Id, WatchlistActions.Add, actor, row.AddedAt, reason)], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return row.ToEntry();
    }

    public async Task<WatchlistEntry?> RemoveAsync(string id, string? reason, string actor, CancellationToken cancellationToken)
    {
        var now = DbValues.Time(time.GetUtcNow());
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var removed = await connection.ExecuteAsync(new CommandDefinition(WatchlistRow.Remove, new { id, at = now, actor, reason }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (removed > 0)
        {
            await AuditAsync(connection, transaction, [(id, WatchlistActions.Remove, actor, now, reason)], cancellationToken).ConfigureAwait(false);
        }

        var row = await connection.QuerySingleOrDefaultAsync<WatchlistRow>(new CommandDefinition(WatchlistRow.SelectById, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return row?.ToEntry();
    }

    public async Task<WatchlistEntry?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<WatchlistRow>(new CommandDefinition(WatchlistRow.SelectById, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToEntry();
    }

    public async Task<IReadOnlyList<WatchlistEntry>> ListAsync(Indicator? indicator, bool includeRemoved, int limit, CancellationToken cancellationToken)
    {
        var sql = "SELECT " + WatchlistRow.Columns + " FROM watchlist WHERE 1 = 1"
            + (includeRemoved ? "" : " AND removed_at IS NULL")
            + (indicator is null ? "" : " AND type = @type AND value = @value")
            + " ORDER BY added_at DESC, id DESC LIMIT @limit;";
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<WatchlistRow>(new CommandDefinition(sql, new { type = indicator?.Type, value = indicator?.Value, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEntry())];
    }

    public async Task<IReadOnlyList<WatchlistEvent>> GetEventsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<WatchlistEventRow>(new CommandDefinition(WatchlistRow.Events, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEvent())];
    }

    public async Task<int> AddConfirmedAsync(string? itemId, CancellationToken cancellationToken)
    {
        var now = DbValues.Time(time.GetUtcNow());
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var found = await connection.QueryAsync<WatchlistRow>(new CommandDefinition(
            itemId is null ? WatchlistRow.ConfirmedNotWatchedOfAll : WatchlistRow.ConfirmedNotWatchedOfItem, new { itemId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var rows = found.Select(f => new WatchlistRow
        {
            Id = Ids.New(), Type = f.Type, Value = f.Value, ItemId = f.ItemId, DecisionId = f.DecisionId, Category = f.Category, AddedBy = f.AddedBy, AddedAt = now,
            Reason = $"Found in item {f.ItemId}, confirmed as {f.Category}.",
        }).ToList();
        await connection.ExecuteAsync(new CommandDefinition(WatchlistRow.Insert, rows, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await AuditAsync(connection, transaction, [.. rows.Select(r => (r.Id, WatchlistActions.Add, r.AddedBy, now, (string?)r.Reason))], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }

    /// <summary>Appends audit records to the watchlist's audit chain, in the transaction that holds the write lock.</summary>
    private static async Task AuditAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<(string, string, string, string, string?)> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var previousHash = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(LastEventHash, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(WatchlistRow.InsertEvent, WatchlistEventRow.Chain(previousHash, records), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
