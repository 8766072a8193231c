using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContentWatch.Core.Review;

namespace ContentWatch.Core.Audit;

/// <summary>
/// The decisions audit as a hash chain: each record carries the hash of the record before it (<c>prev_hash</c>) and its
/// own, SHA-256 over a fixed JSON array of its fields and that previous hash. Changing, removing or reordering a record
/// breaks the link of the record after it; changing a record's fields breaks its own hash.
/// </summary>
public static class AuditChain
{
    private const string Version = "cw-audit-1";

    public static string Hash(string? previousHash, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string?[] fields =
        [
            Version, previousHash, entry.Id, entry.ItemId, entry.Actor,
            entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            entry.Decision, entry.Category, entry.Reason, entry.StatusBefore, entry.LabelBefore,
            entry.ScoreBefore?.ToString("R", CultureInfo.InvariantCulture), entry.StatusAfter, entry.ReferralId, entry.ClusterId,
        ];
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(fields))));
    }
}

/// <summary>A decision as stored, with its links; both null on records written before the chain began.</summary>
public sealed record ChainedDecision(AuditEntry Entry, string? PreviousHash, string? Hash);

/// <summary>A sealed copy of what an officer confirmed: the JSON as stored and its SHA-256.</summary>
public sealed record EvidenceSnapshot(string ReferralId, string ItemId, DateTimeOffset SealedAt, string Sha256, string Snapshot);

/// <summary>One fault <c>audit verify</c> found.</summary>
public sealed record AuditFault(string Table, string RecordId, string Problem);

/// <summary>What <see cref="AuditVerifier"/> found: the chain's length and head, and every fault.</summary>
public sealed record AuditReport(int Decisions, int Unchained, string? HeadHash, int Snapshots, IReadOnlyList<AuditFault> Faults)
{
    public bool Intact => Faults.Count == 0;
}

public interface IAuditStore
{
    /// <summary>Every decision in the order it was written.</summary>
    IAsyncEnumerable<ChainedDecision> ReadDecisionChainAsync(CancellationToken cancellationToken);

    /// <summary>Every evidence snapshot.</summary>
    IAsyncEnumerable<EvidenceSnapshot> ReadSnapshotsAsync(CancellationToken cancellationToken);

    /// <summary>Stores the referral's snapshot unless it has one (a snapshot is never replaced). True when this one was stored.</summary>
    Task<bool> SealAsync(EvidenceSnapshot snapshot, CancellationToken cancellationToken);

    Task<EvidenceSnapshot?> GetSnapshotAsync(string referralId, CancellationToken cancellationToken);

    /// <summary>Referrals without a snapshot (a crash between the decision and its seal), oldest first.</summary>
    Task<IReadOnlyList<(string ReferralId, string ItemId)>> UnsealedAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>Walks the decisions chain and the evidence snapshots and names every broken link or hash.</summary>
public sealed class AuditVerifier(IAuditStore store)
{
    public async Task<AuditReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var faults = new List<AuditFault>();
        var (count, unchained) = (0, 0);
        string? previous = null;
        var chainStarted = false;
        await foreach (var record in store.ReadDecisionChainAsync(cancellationToken))
        {
            count++;
            if (record.Hash is null)
            {
                unchained++;
                if (chainStarted)
                {
                    faults.Add(new AuditFault("decisions", record.Entry.Id, "has no hash, yet comes after the chain began"));
                }

                continue;
            }

            if (record.PreviousHash != previous)
            {
                faults.Add(new AuditFault("decisions", record.Entry.Id, "its link to the record before it is broken (a record was changed, removed or inserted)"));
            }

            if (AuditChain.Hash(record.PreviousHash, record.Entry) != record.Hash)
            {
                faults.Add(new AuditFault("decisions", record.Entry.Id, "its contents do not match its hash (the record was changed)"));
            }

            chainStarted = true;
            previous = record.Hash;
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

        return new AuditReport(count, unchained, previous, snapshots, faults);
    }
}
