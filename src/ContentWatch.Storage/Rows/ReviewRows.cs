using System.Diagnostics.CodeAnalysis;
using ContentWatch.Core;
using ContentWatch.Core.Audit;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Review;

namespace ContentWatch.Storage.Rows;

// The rows the review stores read, the same for every provider. Dapper converts each column to the property's type:
// SQLite's 64-bit integers to int and bool, SQL Server's int and bit as they are.

/// <summary>A line of the review queue, its text cut in SQL to a little over the excerpt.</summary>
internal sealed class QueueRow
{
    public string Id { get; init; } = "";
    public string? Label { get; init; }
    public double? Score { get; init; }
    public int ReportCount { get; init; }
    public string Platform { get; init; } = "";
    public string Url { get; init; } = "";
    public string Text { get; init; } = "";

    public QueueEntry ToEntry() => new(Id, Label ?? "", Score ?? 0, ReportCount, Platform, Url, DbValues.Excerpt(Text));
}

/// <summary>An item with its verdict and referral, if any.</summary>
internal sealed class ItemRow
{
    /// <summary>The item <c>@id</c> with its verdict and referral; the same standard SQL for every provider.</summary>
    public const string SelectById = """
        SELECT i.id AS Id, i.platform AS Platform, i.url AS Url, i.kind AS Kind, i.status AS Status, i.text AS Text,
               i.title AS Title, i.language AS Language, i.author AS Author, i.external_id AS ExternalId,
               i.posted_at AS PostedAt, i.report_count AS ReportCount, i.first_reported_at AS FirstReportedAt,
               i.last_reported_at AS LastReportedAt, i.text_sha256 AS TextSha256, i.label AS Label, i.score AS Score,
               i.scores_json AS ScoresJson, i.evidence_json AS EvidenceJson, i.model_version AS ModelVersion,
               i.classified_at AS ClassifiedAt, r.id AS ReferralId
        FROM items i
        LEFT JOIN referrals r ON r.item_id = i.id
        WHERE i.id = @id;
        """;

    public string Id { get; init; } = "";
    public string Platform { get; init; } = "";
    public string Url { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Status { get; init; } = "";
    public string Text { get; init; } = "";
    public string? Title { get; init; }
    public string? Language { get; init; }
    public string? Author { get; init; }
    public string? ExternalId { get; init; }
    public string? PostedAt { get; init; }
    public int ReportCount { get; init; }
    public string FirstReportedAt { get; init; } = "";
    public string LastReportedAt { get; init; } = "";
    public string TextSha256 { get; init; } = "";
    public string? Label { get; init; }
    public double? Score { get; init; }
    public string? ScoresJson { get; init; }
    public string? EvidenceJson { get; init; }
    public string? ModelVersion { get; init; }
    public string? ClassifiedAt { get; init; }
    public string? ReferralId { get; init; }

    public ItemDetails ToDetails()
    {
        var verdict = Label is null
            ? null
            : new Verdict(Label, Score ?? 0, DbValues.ParseScores(ScoresJson), ModelVersion ?? "", DbValues.ParseTime(ClassifiedAt!),
                DbValues.ParseEvidence(EvidenceJson));
        return new ItemDetails(
            Id, Platform, Url, Kind, Status, Text, Title, Language, Author, ExternalId,
            DbValues.ParseOptionalTime(PostedAt), ReportCount, DbValues.ParseTime(FirstReportedAt), DbValues.ParseTime(LastReportedAt),
            TextSha256, verdict, ReferralId);
    }
}

/// <summary>A line of the item list.</summary>
internal sealed class SummaryRow
{
    public string Id { get; init; } = "";
    public string Platform { get; init; } = "";
    public string Url { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Label { get; init; }
    public double? Score { get; init; }
    public int ReportCount { get; init; }
    public string FirstReportedAt { get; init; } = "";

    public ItemSummary ToSummary() => new(Id, Platform, Url, Status, Label, Score, ReportCount, DbValues.ParseTime(FirstReportedAt));
}

/// <summary>What a decision reads of its item before it changes it.</summary>
internal sealed class DecisionRow
{
    public string Status { get; init; } = "";
    public string? Label { get; init; }
    public double? Score { get; init; }
    public string Platform { get; init; } = "";
    public string TextSha256 { get; init; } = "";
    public string FirstReportedAt { get; init; } = "";
    public string? ReferralId { get; init; }
    public string? ReferralCategory { get; init; }

    /// <summary>True for a confirmation, false for a rejection; throws for any other decision, or a confirmation without a category.</summary>
    public static bool Confirms(DecisionCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var confirm = command.Decision switch
        {
            Decisions.Confirm => true,
            Decisions.Reject => false,
            _ => throw new ArgumentException($"A decision is '{Decisions.Confirm}' or '{Decisions.Reject}', not '{command.Decision}'.", nameof(command)),
        };
        if (confirm)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(command.Category, nameof(command));
        }

        return confirm;
    }

    /// <summary>Whether <see cref="DecisionRules"/> refuse the decision on this item (null: it does not exist), and the answer when so.</summary>
    public static bool Refuses(
        [NotNullWhen(false)] DecisionRow? item, DecisionCommand command, [NotNullWhen(true)] out DecisionResult? refusal)
    {
        refusal = DecisionRules.Refusal(command, item is null ? null : new DecisionState(item.Status, item.ReferralId, item.ReferralCategory));
        return refusal is not null;
    }

    /// <summary>The new referral's values: the model's part is "automated detection" when the item has a verdict.</summary>
    public object ReferralParameters(string id, DecisionCommand command, string explanation, string now) => new
    {
        id,
        itemId = command.ItemId,
        platform = Platform,
        category = command.Category,
        explanation,
        status = ReferralStatus.Pending,
        now,
        reportedAt = FirstReportedAt,
        automatedDetection = Label is not null,
        evidenceSha256 = TextSha256,
    };

    /// <summary>
    /// The audit row's values: the item as this row read it, what the decision made of it, and its links in the audit
    /// chain (<paramref name="previousHash"/>, the hash of the last record written, and its own hash).
    /// </summary>
    public object AuditParameters(DecisionCommand command, string now, string statusAfter, string? referralId, string? previousHash)
    {
        var entry = new AuditEntry(
            Ids.New(), command.ItemId, command.Actor, DbValues.ParseTime(now), command.Decision,
            string.IsNullOrWhiteSpace(command.Category) ? null : command.Category, command.Reason, Status, Label, Score, statusAfter, referralId, command.ClusterId);
        return new
        {
            id = entry.Id,
            itemId = entry.ItemId,
            actor = entry.Actor,
            at = now,
            decision = entry.Decision,
            category = entry.Category,
            reason = entry.Reason,
            statusBefore = entry.StatusBefore,
            labelBefore = entry.LabelBefore,
            scoreBefore = entry.ScoreBefore,
            statusAfter,
            referralId,
            clusterId = command.ClusterId,
            prevHash = previousHash,
            hash = AuditChain.Hash(previousHash, entry),
        };
    }
}

/// <summary>One decision of the audit trail, with its links in the audit chain when read for <c>audit verify</c>.</summary>
internal sealed class AuditRow
{
    public string Id { get; init; } = "";
    public string ItemId { get; init; } = "";
    public string Actor { get; init; } = "";
    public string At { get; init; } = "";
    public string Decision { get; init; } = "";
    public string? Category { get; init; }
    public string Reason { get; init; } = "";
    public string StatusBefore { get; init; } = "";
    public string? LabelBefore { get; init; }
    public double? ScoreBefore { get; init; }
    public string StatusAfter { get; init; } = "";
    public string? ReferralId { get; init; }
    public string? ClusterId { get; init; }
    public string? PreviousHash { get; init; }
    public string? Hash { get; init; }

    public AuditEntry ToEntry() => new(
        Id, ItemId, Actor, DbValues.ParseTime(At), Decision, Category, Reason, StatusBefore, LabelBefore, ScoreBefore, StatusAfter, ReferralId, ClusterId);

    public ChainedDecision ToDecision() => new(ToEntry(), PreviousHash, Hash);
}

/// <summary>One report of an item, duplicates included.</summary>
internal sealed class ReportRow
{
    public string Id { get; init; } = "";
    public string Source { get; init; } = "";
    public string ReceivedAt { get; init; } = "";
    public string Url { get; init; } = "";
    public bool Duplicate { get; init; }
    public string? Text { get; init; }
    public string? Title { get; init; }
    public string? ExternalId { get; init; }
    public string? Author { get; init; }
    public string? PostedAt { get; init; }
    public string? ReporterName { get; init; }
    public string? ReporterEmail { get; init; }
    public string? ReporterOrganisation { get; init; }

    public ReportRecord ToRecord() => new(
        Id, Source, DbValues.ParseTime(ReceivedAt), Url, Duplicate, Text, Title, ExternalId, Author, DbValues.ParseOptionalTime(PostedAt),
        ReporterName is null && ReporterEmail is null && ReporterOrganisation is null
            ? null
            : new Reporter(ReporterName, ReporterEmail, ReporterOrganisation));
}
