using ContentWatch.Core.Training;

namespace ContentWatch.Storage.Rows;

/// <summary>An item's first decision with the range of the decisions taken on the item after it (see <see cref="FirstDecision"/>).</summary>
internal sealed class FirstDecisionRow
{
    /// <summary>
    /// Standard SQL for every provider, between the provider's <c>SELECT</c> (SQL Server's <c>TOP</c>) and its row limit.
    /// A decision is its item's first when no decision on the item comes before it in (at, id) order; "after" is the same
    /// order. Keyset paging on (at, id): the page starts after (@afterAt, @afterId), written so that the index on
    /// <c>at</c> gives the range. The four subqueries read the item's later decisions through ix_decisions_item_id_at.
    /// </summary>
    public const string Body = """
         d.id AS DecisionId, d.item_id AS ItemId, d.actor AS Officer, d.at AS DecidedAt, d.decision AS Decision,
               d.category AS Category, d.cluster_id AS ClusterId, i.platform AS Platform, i.language AS Language, i.kind AS Kind,
               i.title AS Title, i.text AS Text,
               (SELECT MIN(l.decision) FROM decisions l
                WHERE l.item_id = d.item_id AND (l.at > d.at OR (l.at = d.at AND l.id > d.id))) AS LaterDecisionMin,
               (SELECT MAX(l.decision) FROM decisions l
                WHERE l.item_id = d.item_id AND (l.at > d.at OR (l.at = d.at AND l.id > d.id))) AS LaterDecisionMax,
               (SELECT MIN(COALESCE(l.category, '')) FROM decisions l
                WHERE l.item_id = d.item_id AND (l.at > d.at OR (l.at = d.at AND l.id > d.id))) AS LaterCategoryMin,
               (SELECT MAX(COALESCE(l.category, '')) FROM decisions l
                WHERE l.item_id = d.item_id AND (l.at > d.at OR (l.at = d.at AND l.id > d.id))) AS LaterCategoryMax
        FROM decisions d
        JOIN items i ON i.id = d.item_id
        WHERE d.at >= @afterAt AND (d.at > @afterAt OR d.id > @afterId)
          AND NOT EXISTS (SELECT 1 FROM decisions e
                          WHERE e.item_id = d.item_id AND (e.at < d.at OR (e.at = d.at AND e.id < d.id)))
        ORDER BY d.at, d.id
        """;

    public string DecisionId { get; init; } = "";
    public string ItemId { get; init; } = "";
    public string Officer { get; init; } = "";
    public string DecidedAt { get; init; } = "";
    public string Decision { get; init; } = "";
    public string? Category { get; init; }
    public string? ClusterId { get; init; }
    public string Platform { get; init; } = "";
    public string? Language { get; init; }
    public string Kind { get; init; } = "";
    public string? Title { get; init; }
    public string Text { get; init; } = "";
    public string? LaterDecisionMin { get; init; }
    public string? LaterDecisionMax { get; init; }
    public string? LaterCategoryMin { get; init; }
    public string? LaterCategoryMax { get; init; }

    public static object Parameters(ExampleCursor after, int limit) => new { afterAt = DbValues.Time(after.At), afterId = after.DecisionId, limit };

    public FirstDecision ToFirstDecision() => new(DecisionId, ItemId, Officer, DbValues.ParseTime(DecidedAt), Decision, Category, ClusterId,
        Platform, Language, Kind, Title, Text, LaterDecisionMin, LaterDecisionMax, LaterCategoryMin, LaterCategoryMax);
}
