using ContentWatch.Core;
using ContentWatch.Core.Models;
using ContentWatch.Storage.Rows;
using Dapper;
using Microsoft.Data.SqlClient;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerModelStore(SqlServerConnectionFactory db, TimeProvider time) : IModelStore
{
    private const string SelectById = ModelRow.SelectById;
    private const string Insert = ModelRow.Insert;
    private const string InsertFile = ModelRow.InsertFile;
    private const string SelectFile = ModelRow.SelectFile;
    private const string SelectLive = ModelRow.SelectLive;
    private const string Demote = ModelRow.Demote;
    private const string SetStatus = ModelRow.SetStatus;
    private const string InsertEvent = ModelRow.InsertEvent;
    private const string Events = ModelRow.Events;
    private const string Notes = ModelRow.Notes;
    private const string ShadowCounts = ModelRow.ShadowCounts;
    private const string ScoreBins = ModelRow.ScoreBins;
    private const string PrecisionByModel = ModelRow.PrecisionByModel;

    private const string List = "SELECT " + ModelRow.Columns + " FROM models ORDER BY created_at DESC, seq DESC;";

    // A change reads the model and the live models under update locks held to the end of its transaction, so two
    // changes (two nodes activating at once) run one after the other, each seeing the other's result.
    private const string LockModel = "SELECT " + ModelRow.Columns + " FROM models WITH (UPDLOCK, HOLDLOCK) WHERE id = @id;";
    private const string LockActiveId = "SELECT id FROM models WITH (UPDLOCK, HOLDLOCK) WHERE status = N'active';";
    private const string LockHolder = "SELECT id FROM models WITH (UPDLOCK, HOLDLOCK) WHERE status = @holder;";

    private const string ShadowVerdict = """
        SELECT TOP (1) model_id AS Model, label AS Label, score AS Score, scores_json AS ScoresJson, classified_at AS ClassifiedAt
        FROM shadow_verdicts
        WHERE item_id = @itemId
        ORDER BY classified_at DESC, item_id, model_id;
        """;

    private const string ShadowOnly = """
        SELECT TOP (@limit) s.item_id AS ItemId, i.status AS Status, i.model_version AS ActiveModel, i.label AS ActiveLabel, i.score AS ActiveScore,
               s.label AS ShadowLabel, s.score AS ShadowScore
        FROM shadow_verdicts s
        JOIN items i ON i.id = s.item_id
        WHERE s.model_id = @model AND s.label <> N'benign' AND i.label = N'benign'
        ORDER BY s.score DESC, s.item_id, s.model_id;
        """;

    private const string ActiveOnly = """
        SELECT TOP (@limit) s.item_id AS ItemId, i.status AS Status, i.model_version AS ActiveModel, i.label AS ActiveLabel, i.score AS ActiveScore,
               s.label AS ShadowLabel, s.score AS ShadowScore
        FROM shadow_verdicts s
        JOIN items i ON i.id = s.item_id
        WHERE s.model_id = @model AND s.label = N'benign' AND i.label <> N'benign'
        ORDER BY i.score DESC, s.item_id, s.model_id;
        """;

    private const string Decided = """
        SELECT TOP (@limit) i.id AS Id, i.text AS Text, i.title AS Title, i.kind AS Kind, i.language AS Language,
               i.status AS Status, d.at AS DecidedAt
        FROM items i
        JOIN (SELECT item_id, MAX(at) AS at FROM decisions WHERE at >= @since GROUP BY item_id) d ON d.item_id = i.id
        WHERE i.status IN (N'confirmed', N'rejected')
        ORDER BY d.at DESC, i.id;
        """;

    public Task<ModelInfo> RegisterAsync(NewModel model, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var existing = await connection.QuerySingleOrDefaultAsync<ModelRow>(new CommandDefinition(LockModel, new { id = model.Id }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                return existing is not null
                    ? existing.ToInfo()
                    : (await InsertAsync(connection, transaction, model, ModelStatus.Candidate, actor, ct).ConfigureAwait(false)).ToInfo();
            },
            cancellationToken);
    }

    public Task<bool> SeedAsync(NewModel model, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                if (await connection.ExecuteScalarAsync<string?>(new CommandDefinition(LockActiveId, transaction: transaction, cancellationToken: ct)).ConfigureAwait(false) is not null)
                {
                    return false;
                }

                var existing = await connection.QuerySingleOrDefaultAsync<ModelRow>(new CommandDefinition(LockModel, new { id = model.Id }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                if (existing is null)
                {
                    await InsertAsync(connection, transaction, model, ModelStatus.Active, actor, ct).ConfigureAwait(false);
                    return true;
                }

                var now = DbValues.Time(time.GetUtcNow());
                await connection.ExecuteAsync(new CommandDefinition(SetStatus, new { id = model.Id, status = ModelStatus.Active, at = now }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                await EventAsync(connection, transaction, model.Id, now, actor, existing.Status, ModelStatus.Active, false, null, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<ModelInfo>> ListAsync(CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
            {
                var rows = await connection.QueryAsync<ModelRow>(new CommandDefinition(List, cancellationToken: ct)).ConfigureAwait(false);
                return (IReadOnlyList<ModelInfo>)[.. rows.Select(r => r.ToInfo())];
            },
            cancellationToken);

    public Task<ModelInfo?> GetAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
                (await connection.QuerySingleOrDefaultAsync<ModelRow>(new CommandDefinition(SelectById, new { id }, cancellationToken: ct)).ConfigureAwait(false))?.ToInfo(),
            cancellationToken);

    public Task<byte[]?> GetContentAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync((connection, ct) => connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(SelectFile, new { id }, cancellationToken: ct)), cancellationToken);

    public Task<LiveModelIds> GetLiveAsync(CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) => LiveRow.ToIds(await connection.QueryAsync<LiveRow>(new CommandDefinition(SelectLive, cancellationToken: ct)).ConfigureAwait(false)),
            cancellationToken);

    public Task<StatusChangeResult> SetStatusAsync(StatusChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var current = await connection.QuerySingleOrDefaultAsync<ModelRow>(new CommandDefinition(LockModel, new { id = change.ModelId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                var activeId = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(LockActiveId, transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);
                if (ModelRules.Refusal(change, current?.Status, activeId) is { } refusal)
                {
                    return refusal;
                }

                var now = DbValues.Time(time.GetUtcNow());
                foreach (var (holder, to) in ModelRules.Displaced(change.Status))
                {
                    var displaced = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(LockHolder, new { holder }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                    if (displaced is not null)
                    {
                        await connection.ExecuteAsync(new CommandDefinition(Demote, new { status = holder, to, at = now }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                        await EventAsync(connection, transaction, displaced, now, change.Actor, holder, to, false, $"replaced by {change.ModelId}", ct).ConfigureAwait(false);
                    }
                }

                await connection.ExecuteAsync(new CommandDefinition(SetStatus, new { id = change.ModelId, status = change.Status, at = now }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                await EventAsync(connection, transaction, change.ModelId, now, change.Actor, current!.Status, change.Status, change.Forced, change.Comparison, ct).ConfigureAwait(false);
                return new StatusChangeResult(StatusChangeOutcome.Changed);
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<ModelEvent>> GetEventsAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
            {
                var rows = await connection.QueryAsync<ModelEventRow>(new CommandDefinition(Events, new { id }, cancellationToken: ct)).ConfigureAwait(false);
                return (IReadOnlyList<ModelEvent>)[.. rows.Select(r => r.ToEvent())];
            },
            cancellationToken);

    public Task<ShadowVerdict?> GetShadowVerdictAsync(string itemId, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
                (await connection.QuerySingleOrDefaultAsync<ShadowVerdictRow>(new CommandDefinition(ShadowVerdict, new { itemId }, cancellationToken: ct)).ConfigureAwait(false))?.ToVerdict(),
            cancellationToken);

    public Task<ShadowCounts> CompareShadowAsync(string modelId, int listLimit, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
            {
                var counts = await connection.QuerySingleAsync<ShadowCountsRow>(new CommandDefinition(ShadowCounts, new { model = modelId }, cancellationToken: ct)).ConfigureAwait(false);
                var shadowOnly = await connection.QueryAsync<DisagreementRow>(new CommandDefinition(ShadowOnly, new { model = modelId, limit = listLimit }, cancellationToken: ct)).ConfigureAwait(false);
                var activeOnly = await connection.QueryAsync<DisagreementRow>(new CommandDefinition(ActiveOnly, new { model = modelId, limit = listLimit }, cancellationToken: ct)).ConfigureAwait(false);
                return counts.ToCounts([.. shadowOnly.Select(r => r.ToDisagreement())], [.. activeOnly.Select(r => r.ToDisagreement())]);
            },
            cancellationToken);

    public Task<IReadOnlyList<DecidedItem>> GetDecidedAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
            {
                var rows = await connection.QueryAsync<DecidedRow>(new CommandDefinition(Decided, new { since = DbValues.Time(since), limit }, cancellationToken: ct)).ConfigureAwait(false);
                return (IReadOnlyList<DecidedItem>)[.. rows.Select(r => r.ToItem())];
            },
            cancellationToken);

    public Task<IReadOnlyList<ItemNote>> GetNotesAsync(string itemId, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
            {
                var rows = await connection.QueryAsync<NoteRow>(new CommandDefinition(Notes, new { itemId }, cancellationToken: ct)).ConfigureAwait(false);
                return (IReadOnlyList<ItemNote>)[.. rows.Select(r => r.ToNote())];
            },
            cancellationToken);

    public Task<ModelFigures> GetFiguresAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
            {
                var at = DbValues.Time(since);
                var bins = await connection.QueryAsync<ScoreBinRow>(new CommandDefinition(ScoreBins, new { since = at }, cancellationToken: ct)).ConfigureAwait(false);
                var precision = await connection.QueryAsync<ModelPrecisionRow>(new CommandDefinition(PrecisionByModel, new { since = at }, cancellationToken: ct)).ConfigureAwait(false);
                return new ModelFigures(ScoreBinRow.ToBins(bins),
                    [.. precision.OrderBy(p => p.Model, StringComparer.Ordinal).Select(p => new ModelPrecision(p.Model, p.Confirmed, p.Rejected))]);
            },
            cancellationToken);

    private async Task<ModelRow> InsertAsync(SqlConnection connection, SqlTransaction transaction, NewModel model, string status, string actor, CancellationToken cancellationToken)
    {
        var now = DbValues.Time(time.GetUtcNow());
        var row = ModelRow.From(model, status, now);
        await connection.ExecuteAsync(new CommandDefinition(Insert, row, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(InsertFile, new { id = model.Id, content = model.Content }, transaction, commandTimeout: 300, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await EventAsync(connection, transaction, model.Id, now, actor, null, status, false, null, cancellationToken).ConfigureAwait(false);
        return row;
    }

    private static Task EventAsync(SqlConnection connection, SqlTransaction transaction, string modelId, string at, string actor, string? from, string to, bool forced,
        string? comparison, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(InsertEvent,
            new { id = Ids.New(), modelId, at, actor, fromStatus = from, toStatus = to, forced, comparison }, transaction, cancellationToken: cancellationToken));
}
