using ContentWatch.Core.Training;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

/// <summary>
/// First decisions for training on SQL Server, as <see cref="Sqlite.SqliteTrainingExampleStore"/>. ix_decisions_at
/// carries the clustered key (id), so its (at, id) order is the page's order and a page is an index range.
/// </summary>
public sealed class SqlServerTrainingExampleStore(SqlServerConnectionFactory db) : ITrainingExampleStore
{
    private const string Page = "SELECT TOP (@limit)" + FirstDecisionRow.Body + ";";

    public async Task<IReadOnlyList<FirstDecision>> ReadFirstDecisionsAsync(ExampleCursor after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (limit <= 0)
        {
            return [];
        }

        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<FirstDecisionRow>(new CommandDefinition(Page, FirstDecisionRow.Parameters(after, limit), cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToFirstDecision()).ToList();
    }
}
