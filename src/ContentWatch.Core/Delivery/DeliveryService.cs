using ContentWatch.Core.Telemetry;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Outbound;

namespace ContentWatch.Core.Delivery;

/// <summary>A webhook as an admin sends it: <c>{"url","secret"}</c>.</summary>
public sealed record WebhookRequest(string? Url, string? Secret);

/// <summary>
/// Pushes export batches and reminders to the platforms' webhooks, signed the Standard Webhooks way. The database holds
/// every delivery and attempt; the queue only says when to try. An attempt claims its delivery first, so a delivery is
/// sent by one worker at a time, and a failed one is tried again with exponential backoff and jitter until
/// <see cref="DeliveryOptions.GiveUpHours"/> have passed, then dead-lettered. A 2xx answer counts as receipt.
/// </summary>
public sealed class DeliveryService(
    IDeliveryStore store,
    IExportStore exports,
    DsaCategories dsa,
    OutboundHttp http,
    ISecretProtector secrets,
    IDeliveryQueue queue,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ContentWatchMetrics metrics,
    ILogger<DeliveryService> logger)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    public IReadOnlyList<FieldError> Validate(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        if (request.Url is not { Length: <= 2_048 } || !Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || !OutboundHttp.IsAllowedUrl(url))
        {
            errors.Add(new FieldError("url", "must be an absolute http or https URL of at most 2048 characters, without a user name or password"));
        }
        else if (ReportParser.UrlProblem(request.Url) is { } problem)
        {
            errors.Add(new FieldError("url", problem));
        }
        else if (http.Policy.RefusesLiteral(url.Host))
        {
            errors.Add(new FieldError("url", $"is a loopback or private address; set {OutboundOptions.Section}:AllowPrivateNetworks or AllowedNetworks to allow it"));
        }

        if (!WebhookSignature.TryParseSecret(request.Secret, out _))
        {
            errors.Add(new FieldError("secret", "must be 'whsec_' followed by the base64 of 24 to 64 random bytes (Standard Webhooks)"));
        }

        return errors;
    }

    /// <summary>Sets (or rotates) a webhook that passed <see cref="Validate"/>; the secret is stored protected.</summary>
    public Task<WebhookInfo> ConfigureAsync(string platform, WebhookRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var grace = time.GetUtcNow().AddHours(options.Value.RotationGraceHours);
        return store.SetWebhookAsync(platform, request.Url!, secrets.Protect(request.Secret!), actor, grace, cancellationToken);
    }

    /// <summary>Creates the deliveries of new export batches and asks for each to be sent now.</summary>
    public async Task QueueNewBatchesAsync(CancellationToken cancellationToken)
    {
        foreach (var id in await store.CreateExportDeliveriesAsync(cancellationToken))
        {
            queue.Deliver(id, TimeSpan.Zero);
        }
    }

    /// <summary>What the sweep makes good: deliveries of batches a crash left without one, and due retries whose request was lost.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await QueueNewBatchesAsync(cancellationToken);
        var due = await store.DueAsync(1_000, cancellationToken);
        foreach (var id in due)
        {
            queue.Deliver(id, TimeSpan.Zero);
        }

        return due.Count;
    }

    /// <summary>Queues a reminder of overdue referrals for the platform's webhook.</summary>
    public async Task RemindAsync(string platform, object body, IReadOnlyList<string> referralIds, CancellationToken cancellationToken)
    {
        var id = await store.CreateReminderAsync(platform, JsonSerializer.Serialize(body, Json), referralIds, cancellationToken);
        queue.Deliver(id, TimeSpan.Zero);
    }

    public async Task<bool> ResendAsync(string platform, string deliveryId, CancellationToken cancellationToken)
    {
        if (!await store.ResendAsync(platform, deliveryId, cancellationToken))
        {
            return false;
        }

        queue.Deliver(deliveryId, TimeSpan.Zero);
        return true;
    }

    /// <summary>One attempt at a delivery, if it is due and not held by another worker. Returns the attempt's status, or null when there was nothing to do.</summary>
    public async Task<string?> DeliverAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var token = Ids.New();
        var work = await store.ClaimAsync(deliveryId, token, ClaimFor, cancellationToken);
        if (work is null)
        {
            return null;
        }

        var (httpStatus, error, elapsed) = await SendAsync(work, cancellationToken);
        var now = time.GetUtcNow();
        var attempt = work.Attempts + 1;
        var o = options.Value;
        var giveUpAt = work.WindowStartAt.AddHours(o.GiveUpHours);
        var (attemptStatus, status, next) = error is null
            ? (AttemptStatus.Delivered, DeliveryStatus.Delivered, now)
            : now >= giveUpAt
                ? (AttemptStatus.Dead, DeliveryStatus.Dead, now)
                : (AttemptStatus.Failed, DeliveryStatus.Pending, Min(now + RetryDelay(attempt, o, Random.Shared.NextDouble()), giveUpAt));
        var recorded = await store.RecordAttemptAsync(
            new AttemptOutcome(work.Id, token, attempt, now, httpStatus, error, (long)elapsed.TotalMilliseconds, attemptStatus, status, next),
            cancellationToken);
        if (!recorded)
        {
            logger.LogWarning("Delivery {DeliveryId}: the claim ran out during attempt {Attempt}; another worker takes it over", work.Id, attempt);
            return null;
        }

        logger.LogInformation("Delivery {DeliveryId} ({Kind}) to {Platform}, attempt {Attempt}: {Status} (HTTP {HttpStatus})",
            work.Id, work.Kind, work.Platform, attempt, attemptStatus, httpStatus);
        if (error is not null)
        {
            metrics.DeliveryFailed(work.Platform);
        }

        if (status == DeliveryStatus.Pending)
        {
            queue.Deliver(work.Id, next - now);
        }

        return attemptStatus;
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: base × 2^(attempt−1), capped, times 1 to 1.5 (<paramref name="jitter"/> in [0, 1)).</summary>
    public static TimeSpan RetryDelay(int attempt, DeliveryOptions options, double jitter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var seconds = Math.Min(options.RetryBaseSeconds * Math.Pow(2, Math.Min(attempt - 1, 30)), options.MaxRetryDelaySeconds);
        return TimeSpan.FromSeconds(seconds * (1 + (jitter / 2)));
    }

    private async Task<(int? HttpStatus, string? Error, TimeSpan Elapsed)> SendAsync(DeliveryWork work, CancellationToken cancellationToken)
    {
        if (work.Webhook is not { } webhook)
        {
            return (null, "the platform has no webhook", TimeSpan.Zero);
        }

        string body;
        List<byte[]> keys;
        try
        {
            body = await BodyAsync(work, cancellationToken);
            keys = Keys(webhook);
        }
        catch (CryptographicException)
        {
            return (null, "the webhook secret cannot be read (data protection keys missing or changed); set the webhook again", TimeSpan.Zero);
        }
        catch (InvalidOperationException e)
        {
            return (null, e.Message, TimeSpan.Zero);
        }

        var headers = WebhookSignature.Headers(work.Id, time.GetUtcNow(), body, keys);
        try
        {
            var response = await http.SendAsync(
                HttpMethod.Post, new Uri(webhook.Url), () => new StringContent(body, Encoding.UTF8, "application/json"), headers, cancellationToken);
            return (response.StatusCode, response.IsSuccess ? null : $"HTTP {response.StatusCode}", response.Elapsed);
        }
        catch (Exception e) when (e is OutboundRefusedException or TimeoutException or HttpRequestException or IOException)
        {
            return (null, e is HttpRequestException { HttpRequestError: var kind } ? $"{kind}: {e.Message}" : e.Message, TimeSpan.Zero);
        }
    }

    private async Task<string> BodyAsync(DeliveryWork work, CancellationToken cancellationToken)
    {
        if (work.Kind != DeliveryKinds.Export)
        {
            return work.Body ?? throw new InvalidOperationException($"delivery {work.Id} has no body");
        }

        var document = await exports.GetDocumentAsync(work.Platform, work.ExportId!, cancellationToken)
            ?? throw new InvalidOperationException($"export {work.ExportId} no longer exists");
        return JsonSerializer.Serialize(dsa.Apply(document), Json);
    }

    private List<byte[]> Keys(WebhookTarget webhook)
    {
        List<string> plain = [secrets.Unprotect(webhook.ProtectedSecret)];
        if (webhook.ProtectedPreviousSecret is { } previous && webhook.PreviousSecretExpiresAt > time.GetUtcNow())
        {
            plain.Add(secrets.Unprotect(previous));
        }

        return plain.Select(s => WebhookSignature.TryParseSecret(s, out var key) ? key : throw new InvalidOperationException("a stored webhook secret is not in Standard Webhooks form")).ToList();
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
