using ContentWatch.Core;
using ContentWatch.Core.Networks;
using ContentWatch.Storage.Rows;
using Dapper;
using Microsoft.Data.SqlClient;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerWatchlistStore(SqlServerConnectionFactory db, TimeProvider time) : IWatchlistStore
{
    private const string Insert = WatchlistRow.Insert;
    private const string InsertEvent = WatchlistRow.InsertEvent;

    // The watchlist chain's last link, under the audit chain lock, so records of different entries still go into the
    // chain one after another.
    private const string LastEventHash = SqlServerAuditStore.ChainLock + "SELECT TOP (1) hash FROM watchlist_events ORDER BY seq DESC;";
    private const string Remove = WatchlistRow.Remove;
    private const string SelectById = WatchlistRow.SelectById;
    private const string Events = WatchlistRow.Events;
    private const string ConfirmedNotWatchedOfItem = WatchlistRow.ConfirmedNotWatchedOfItem;
    private const string ConfirmedNotWatchedOfAll = WatchlistRow.ConfirmedNotWatchedOfAll;

    // One fixed statement per filter combination, so each can use its index.
    private const string ListActive = "SELECT TOP (@limit) " + WatchlistRow.Columns + " FROM watchlist WHERE removed_at IS NULL ORDER BY added_at DESC, id DESC;";
    private const string ListAll = "SELECT TOP (@limit) " + WatchlistRow.Columns + " FROM watchlist ORDER BY added_at DESC, id DESC;";
    private const string ListActiveOf = "SELECT TOP (@limit) " + WatchlistRow.Columns + " FROM watchlist WHERE removed_at IS NULL AND type = @type AND value = @value ORDER BY added_at DESC, id DESC;";
    private const string ListAllOf = "SELECT TOP (@limit) " + WatchlistRow.Columns + " FROM watchlist WHERE type = @type AND value = @value ORDER BY added_at DESC, id DESC;";

    public Task<WatchlistEntry> AddAsync(Indicator indicator, string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var row = new WatchlistRow
                {
                    Id = Ids.New(), Type = indicator.Type, Value = indicator.Value, Reason = reason, AddedBy = actor, AddedAt = DbValues.Time(time.GetUtcNow()),
                };
                await connection.ExecuteAsync(new CommandDefinition(Insert, row, transaction, cancellationToken: ct)).ConfigureAwait(false);
                await AuditAsync(connection, transaction, [(row.Id, WatchlistActions.Add, actor, row.AddedAt, reason)], ct).ConfigureAwait(false);
                return row.ToEntry();
            },
            cancellationToken);
    }

    public Task<WatchlistEntry?> RemoveAsync(string id, string? reason, string actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var now = DbValues.Time(time.GetUtcNow());
                var removed = await connection.ExecuteAsync(new CommandDefinition(Remove, new { id, at = now, actor, reason }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                if (removed > 0)
                {
                    await AuditAsync(connection, transaction, [(id, WatchlistActions.Remove, actor, now, reason)], ct).ConfigureAwait(false);
                }

                var row = await connection.QuerySingleOrDefaultAsync<WatchlistRow>(new CommandDefinition(SelectById, new { id }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                return row?.ToEntry();
            },
            cancellationToken);

    public async Task<WatchlistEntry?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await db.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<WatchlistRow>(new CommandDefinition(SelectById, new { id }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToEntry();
    }

    public async Task<IReadOnlyList<WatchlistEntry>> ListAsync(Indicator? indicator, bool includeRemoved, int limit, CancellationToken cancellationToken)
    {
        var sql = (indicator, includeRemoved) switch
        {
            (null, false) => ListActive,
            (null, true) => ListAll,
            (_, false) => ListActiveOf,
            _ => ListAllOf,
        };
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<WatchlistRow>(new CommandDefinition(sql, new { type = indicator?.Type, value = indicator?.Value, limit }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEntry())];
    }

    public async Task<IReadOnlyList<WatchlistEvent>> GetEventsAsync(string id, CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<WatchlistEventRow>(new CommandDefinition(Events, new { id }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEvent())];
    }

    /// <summary>The unique index on (item_id, type, value) refuses a second copy from a concurrent confirmation; the whole step then runs again and finds it.</summary>
    public Task<int> AddConfirmedAsync(string? itemId, CancellationToken cancellationToken) =>
        db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var now = DbValues.Time(time.GetUtcNow());
                var found = await connection.QueryAsync<WatchlistRow>(new CommandDefinition(
                    itemId is null ? ConfirmedNotWatchedOfAll : ConfirmedNotWatchedOfItem, new { itemId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                var rows = found.Select(f => new WatchlistRow
                {
                    Id = Ids.New(), Type = f.Type, Value = f.Value, ItemId = f.ItemId, DecisionId = f.DecisionId, Category = f.Category, AddedBy = f.AddedBy, AddedAt = now,
                    Reason = $"Found in item {f.ItemId}, confirmed as {f.Category}.",
                }).ToList();
                await connection.ExecuteAsync(new CommandDefinition(Insert, rows, transaction, cancellationToken: ct)).ConfigureAwait(false);
                await AuditAsync(connection, transaction, [.. rows.Select(r => (r.Id, WatchlistActions.Add, r.AddedBy, now, (string?)r.Reason))], ct).ConfigureAwait(false);
                return rows.Count;
            },
            cancellationToken,
            alsoRetryOn: SqlRetryPolicy.IsDuplicateKey);

    /// <summary>Appends audit records to the watchlist's audit chain, in the caller's transaction.</summary>
    private static async Task AuditAsync(
        SqlConnection connection, SqlTransaction transaction, IReadOnlyList<(string, string, string, string, string?)> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var previousHash = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(LastEventHash, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(InsertEvent, WatchlistEventRow.Chain(previousHash, records), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
