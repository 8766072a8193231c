using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using ContentWatch.Core.Review;

namespace ContentWatch.Core.Telemetry;

/// <summary>
/// The pipeline's measurements on the meter <see cref="MeterName"/>. A counter costs next to nothing while nothing
/// listens (OpenTelemetry off); the two gauges read the database only when collected, at most once per
/// <see cref="GaugeMaxAge"/> (<see cref="CachedReading{T}"/>).
/// </summary>
public sealed class ContentWatchMetrics
{
    public const string MeterName = "ContentWatch";

    public static readonly TimeSpan GaugeMaxAge = TimeSpan.FromSeconds(15);

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _classified;
    private readonly Histogram<double> _classificationDuration;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _exportFailures;
    private readonly Counter<long> _deliveryFailures;
    private readonly Counter<long> _scanErrors;

    public ContentWatchMetrics(IMeterFactory meters, IDeskStore desk, TimeProvider time, ILogger<ContentWatchMetrics> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(desk);
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("contentwatch.reports.accepted", "{report}", "Reports stored (duplicates of known items included), by source: api, import, scan:folder, feed:NAME");
        _rejected = meter.CreateCounter<long>("contentwatch.reports.rejected", "{report}", "Reports refused at intake, by source: an API body refused counts once, a file line or feed entry once each");
        _classified = meter.CreateCounter<long>("contentwatch.items.classified", "{item}", "Items given a verdict, by the status it moved them to (in_review, dismissed)");
        _classificationDuration = meter.CreateHistogram<double>("contentwatch.classification.duration", "s", "Time to classify one claimed batch: score, analyse and store");
        _decisions = meter.CreateCounter<long>("contentwatch.decisions", "{decision}", "Officers' decisions, by decision (confirm, reject) and outcome (recorded, conflict, not_found)");
        _exportFailures = meter.CreateCounter<long>("contentwatch.export.failures", "{failure}", "Export batches that could not be made, by platform");
        _deliveryFailures = meter.CreateCounter<long>("contentwatch.delivery.failures", "{failure}", "Notice deliveries to a platform that failed, by platform");
        _scanErrors = meter.CreateCounter<long>("contentwatch.scan.errors", "{error}", "Scans of a source that failed, by source (folder, feed:NAME)");

        var openWork = new CachedReading<OpenWork>(desk.CountOpenWorkAsync, time, GaugeMaxAge, logger);
        meter.CreateObservableGauge("contentwatch.review.queue_depth", () => Measure(openWork.Current()?.InReview), "{item}", "Items waiting for an officer (in_review)");
        meter.CreateObservableGauge("contentwatch.referrals.pending_export", () => Measure(openWork.Current()?.PendingExport), "{referral}", "Referrals confirmed and not yet in an export batch");
    }

    public void ReportsAccepted(int count, string source) => _accepted.Add(count, new KeyValuePair<string, object?>("source", source));

    public void ReportsRejected(int count, string source) => _rejected.Add(count, new KeyValuePair<string, object?>("source", source));

    public void Classified(int inReview, int dismissed, TimeSpan duration)
    {
        _classified.Add(inReview, new KeyValuePair<string, object?>("status", ItemStatus.InReview));
        _classified.Add(dismissed, new KeyValuePair<string, object?>("status", ItemStatus.Dismissed));
        _classificationDuration.Record(duration.TotalSeconds);
    }

    public void Decided(string decision, DecisionOutcome outcome) => _decisions.Add(1,
        new KeyValuePair<string, object?>("decision", decision),
        new KeyValuePair<string, object?>("outcome", outcome switch
        {
            DecisionOutcome.Recorded => "recorded",
            DecisionOutcome.ItemNotFound => "not_found",
            _ => "conflict",
        }));

    public void ExportFailed(string platform) => _exportFailures.Add(1, new KeyValuePair<string, object?>("platform", platform));

    /// <summary>For the push delivery of notices (issue 13): call once per failed attempt.</summary>
    public void DeliveryFailed(string platform) => _deliveryFailures.Add(1, new KeyValuePair<string, object?>("platform", platform));

    public void ScanFailed(string source) => _scanErrors.Add(1, new KeyValuePair<string, object?>("source", source));

    private static IEnumerable<Measurement<long>> Measure(int? value) => value is { } v ? [new Measurement<long>(v)] : [];
}
