using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContentWatch.Core.Networks;
using ContentWatch.Core.Review;

namespace ContentWatch.Core.Audit;

/// <summary>
/// The audit as hash chains, one per append-only audit table: the decisions (item and cluster decisions alike) and the
/// watchlist's adds and removes. Each record carries the hash of the record written before it in its table
/// (<c>prev_hash</c>) and its own, SHA-256 over a fixed JSON array of its fields and that previous hash. Changing,
/// removing or reordering a record breaks the link of the record after it; changing a record's fields breaks its own hash.
/// </summary>
public static class AuditChain
{
    private const string DecisionsVersion = "cw-audit-1";
    private const string WatchlistVersion = "cw-watchlist-audit-1";

    public static string Hash(string? previousHash, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Digest(
        [
            DecisionsVersion, previousHash, entry.Id, entry.ItemId, entry.Actor, Time(entry.At), entry.Decision, entry.Category, entry.Reason,
            entry.StatusBefore, entry.LabelBefore, entry.ScoreBefore?.ToString("R", CultureInfo.InvariantCulture), entry.StatusAfter,
            entry.ReferralId, entry.ClusterId,
        ]);
    }

    public static string Hash(string? previousHash, WatchlistEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Digest([WatchlistVersion, previousHash, record.Id, record.EntryId, record.Action, record.Actor, Time(record.At), record.Reason]);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Digest(string?[] fields) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(fields))));
}

/// <summary>A decision as stored, with its links; both null on records written before the chain began.</summary>
public sealed record ChainedDecision(AuditEntry Entry, string? PreviousHash, string? Hash);

/// <summary>A watchlist audit record as stored, with its links; both null on records written before the chain began.</summary>
public sealed record ChainedWatchlistEvent(WatchlistEvent Event, string? PreviousHash, string? Hash);

/// <summary>A sealed copy of what an officer confirmed: the JSON as stored and its SHA-256.</summary>
public sealed record EvidenceSnapshot(string ReferralId, string ItemId, DateTimeOffset SealedAt, string Sha256, string Snapshot);

/// <summary>One fault <c>audit verify</c> found.</summary>
public sealed record AuditFault(string Table, string RecordId, string Problem);

/// <summary>One chain as <see cref="AuditVerifier"/> walked it: its records, those from before it began, and its head.</summary>
public sealed record ChainSummary(int Records, int Unchained, string? HeadHash);

/// <summary>What <see cref="AuditVerifier"/> found: each chain, the snapshots, and every fault.</summary>
public sealed record AuditReport(ChainSummary Decisions, ChainSummary Watchlist, int Snapshots, IReadOnlyList<AuditFault> Faults)
{
    public bool Intact => Faults.Count == 0;
}

public interface IAuditStore
{
    /// <summary>Every decision in the order it was written.</summary>
    IAsyncEnumerable<ChainedDecision> ReadDecisionChainAsync(CancellationToken cancellationToken);

    /// <summary>Every watchlist audit record in the order it was written.</summary>
    IAsyncEnumerable<ChainedWatchlistEvent> ReadWatchlistChainAsync(CancellationToken cancellationToken);

    /// <summary>Every evidence snapshot.</summary>
    IAsyncEnumerable<EvidenceSnapshot> ReadSnapshotsAsync(CancellationToken cancellationToken);

    /// <summary>Stores the referral's snapshot unless it has one (a snapshot is never replaced). True when this one was stored.</summary>
    Task<bool> SealAsync(EvidenceSnapshot snapshot, CancellationToken cancellationToken);

    Task<EvidenceSnapshot?> GetSnapshotAsync(string referralId, CancellationToken cancellationToken);

    /// <summary>Referrals without a snapshot (a crash between the decision and its seal), oldest first.</summary>
    Task<IReadOnlyList<(string ReferralId, string ItemId)>> UnsealedAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>Walks the audit chains and the evidence snapshots and names every broken link or hash.</summary>
public sealed class AuditVerifier(IAuditStore store)
{
    public async Task<AuditReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var faults = new List<AuditFault>();
        var decisions = new ChainWalk("decisions", faults);
        await foreach (var record in store.ReadDecisionChainAsync(cancellationToken))
        {
            decisions.Step(record.Entry.Id, record.PreviousHash, record.Hash, () => AuditChain.Hash(record.PreviousHash, record.Entry));
        }

        var watchlist = new ChainWalk("watchlist_events", faults);
        await foreach (var record in store.ReadWatchlistChainAsync(cancellationToken))
        {
            watchlist.Step(record.Event.Id, record.PreviousHash, record.Hash, () => AuditChain.Hash(record.PreviousHash, record.Event));
        }

        var snapshots = 0;
        await foreach (var snapshot in store.ReadSnapshotsAsync(cancellationToken))
        {
            snapshots++;
            if (EvidenceService.Sha256(snapshot.Snapshot) != snapshot.Sha256)
            {
                faults.Add(new AuditFault("evidence_snapshots", snapshot.ReferralId, "the snapshot does not match its SHA-256 (it was changed)"));
            }
        }

        return new AuditReport(decisions.Summary, watchlist.Summary, snapshots, faults);
    }

    /// <summary>One table's chain, record by record in the order they were written.</summary>
    private sealed class ChainWalk(string table, List<AuditFault> faults)
    {
        private int _records;
        private int _unchained;
        private string? _head;
        private bool _started;

        public ChainSummary Summary => new(_records, _unchained, _head);

        public void Step(string id, string? previousHash, string? hash, Func<string> computeHash)
        {
            _records++;
            if (hash is null)
            {
                _unchained++;
                if (_started)
                {
                    faults.Add(new AuditFault(table, id, "has no hash, yet comes after the chain began"));
                }

                return;
            }

            if (previousHash != _head)
            {
                faults.Add(new AuditFault(table, id, "its link to the record before it is broken (a record was changed, removed or inserted)"));
            }

            if (computeHash() != hash)
            {
                faults.Add(new AuditFault(table, id, "its contents do not match its hash (the record was changed)"));
            }

            _started = true;
            _head = hash;
        }
    }
}
