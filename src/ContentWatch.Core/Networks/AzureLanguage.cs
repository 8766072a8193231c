using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContentWatch.Core.Networks;

/// <summary>Azure AI Language entities (section <c>TextAnalytics</c>); off by default, and then nothing leaves the machine.</summary>
public sealed class TextAnalyticsOptions
{
    public const string Section = "TextAnalytics";

    public bool Enabled { get; set; }

    /// <summary>The Language resource, e.g. <c>https://NAME.cognitiveservices.azure.com</c>.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The resource key; from the environment (<c>TextAnalytics__Key</c>), never from a file.</summary>
    public string Key { get; set; } = "";

    public string ApiVersion { get; set; } = "2023-04-01";

    /// <summary>Documents per request: the synchronous limit of entity and PII recognition is 5.</summary>
    [Range(1, 5)]
    public int DocumentsPerRequest { get; set; } = 5;

    /// <summary>Characters sent per document: the synchronous limit is 5,120.</summary>
    [Range(100, 5_120)]
    public int MaxCharacters { get; set; } = 5_120;

    /// <summary>Tries after a 429 or a 5xx (Azure.Core's retry policy waits as Retry-After says).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Failed requests in a row that open the circuit, and how long it stays open (requests skipped).</summary>
    [Range(1, 100)]
    public int BreakerFailures { get; set; } = 5;

    [Range(1, 3_600)]
    public int BreakerSeconds { get; set; } = 60;

    public bool IsComplete => !Enabled || (Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && Key.Length > 0);
}

/// <summary>A named entity found by a language service: a location along a route, an organisation.</summary>
public sealed record ItemEntity(string Category, string Text);

/// <summary>What an entity service adds to an item's own extraction.</summary>
public sealed record Enrichment(IReadOnlyList<Indicator> Indicators, IReadOnlyList<ItemEntity> Entities, string? Language)
{
    public static readonly Enrichment None = new([], [], null);
}

/// <summary>Recognises entities in items' texts. The default does nothing; <see cref="AzureLanguageRecognizer"/> calls Azure AI Language.</summary>
public interface IEntityRecognizer
{
    /// <summary>One enrichment per text, in order; <see cref="Enrichment.None"/> where the service could not help.</summary>
    Task<IReadOnlyList<Enrichment>> RecognizeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

/// <summary>No entity service: nothing is sent anywhere.</summary>
public sealed class NoEntityRecognizer : IEntityRecognizer
{
    public Task<IReadOnlyList<Enrichment>> RecognizeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Enrichment>>([.. texts.Select(_ => Enrichment.None)]);
}

/// <summary>
/// Azure AI Language's REST API (<c>POST {endpoint}/language/:analyze-text</c>) through Azure.Core's HttpPipeline: the
/// key of an <see cref="AzureKeyCredential"/> in the <c>Ocp-Apim-Subscription-Key</c> header, documents in batches
/// within the synchronous limits, 429 and 5xx retried as Retry-After says, and a circuit breaker: after
/// <see cref="TextAnalyticsOptions.BreakerFailures"/> failed requests in a row nothing is sent for
/// <see cref="TextAnalyticsOptions.BreakerSeconds"/>, and items go on without entities. PII recognition gives phones,
/// e-mails, URLs and IBANs (normalised by the <see cref="IndicatorExtractor"/>); entity recognition gives locations
/// and organisations; language detection the language. Thread-safe.
/// </summary>
public sealed class AzureLanguageRecognizer : IEntityRecognizer
{
    private readonly TextAnalyticsOptions options;
    private readonly IndicatorExtractor extractor;
    private readonly TimeProvider time;
    private readonly ILogger<AzureLanguageRecognizer> logger;
    private readonly HttpPipeline pipeline;
    private readonly Uri uri;
    private readonly Lock gate = new();
    private int failures;
    private DateTimeOffset openUntil = DateTimeOffset.MinValue;

    public AzureLanguageRecognizer(IOptions<TextAnalyticsOptions> options, IndicatorExtractor extractor, TimeProvider time, ILogger<AzureLanguageRecognizer> logger, HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.extractor = extractor;
        this.time = time;
        this.logger = logger;
        var clientOptions = new LanguageClientOptions();
        clientOptions.Retry.MaxRetries = this.options.MaxRetries;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(500);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        clientOptions.Diagnostics.IsLoggingEnabled = false;
        clientOptions.Diagnostics.IsDistributedTracingEnabled = false;
        clientOptions.Diagnostics.IsTelemetryEnabled = false;
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        pipeline = HttpPipelineBuilder.Build(clientOptions, new KeyHeaderPolicy(new AzureKeyCredential(this.options.Key)));
        uri = new Uri(new Uri(this.options.Endpoint.TrimEnd('/') + "/"), $"language/:analyze-text?api-version={Uri.EscapeDataString(this.options.ApiVersion)}");
    }

    private sealed class LanguageClientOptions : ClientOptions;

    /// <summary>
    /// Puts the <see cref="AzureKeyCredential"/> in the header Azure AI Language reads, on every try (Azure.Core's own
    /// AzureKeyCredentialPolicy is internal in the served version); the key is read each time, so a rotation applies at once.
    /// </summary>
    private sealed class KeyHeaderPolicy(AzureKeyCredential credential) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue("Ocp-Apim-Subscription-Key", credential.Key);
    }

    /// <summary>Whether requests go out now (the circuit is closed, or open long enough to try again).</summary>
    public bool Available
    {
        get
        {
            lock (gate)
            {
                return time.GetUtcNow() >= openUntil;
            }
        }
    }

    public async Task<IReadOnlyList<Enrichment>> RecognizeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var results = texts.Select(_ => Enrichment.None).ToArray();
        for (var start = 0; start < texts.Count; start += options.DocumentsPerRequest)
        {
            var batch = Enumerable.Range(start, Math.Min(options.DocumentsPerRequest, texts.Count - start)).ToList();
            var documents = new JsonArray([.. batch.Select(i => (JsonNode)new JsonObject
            {
                ["id"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["text"] = texts[i].Length <= options.MaxCharacters ? texts[i] : texts[i][..options.MaxCharacters],
            })]);
            var pii = await AnalyseAsync("PiiEntityRecognition", documents, cancellationToken).ConfigureAwait(false);
            var entities = await AnalyseAsync("EntityRecognition", documents, cancellationToken).ConfigureAwait(false);
            var languages = await AnalyseAsync("LanguageDetection", documents, cancellationToken).ConfigureAwait(false);
            foreach (var i in batch)
            {
                results[i] = Merge(i.ToString(System.Globalization.CultureInfo.InvariantCulture), pii, entities, languages);
            }
        }

        return results;
    }

    private Enrichment Merge(string id, JsonNode? pii, JsonNode? entities, JsonNode? languages)
    {
        if (pii is null && entities is null && languages is null)
        {
            return Enrichment.None;
        }

        static JsonNode? Document(JsonNode? answer, string id) =>
            answer?["results"]?["documents"]?.AsArray().FirstOrDefault(d => d?["id"]?.GetValue<string>() == id);

        var indicators = new List<Indicator>();
        foreach (var entity in Document(pii, id)?["entities"]?.AsArray() ?? [])
        {
            var type = entity?["category"]?.GetValue<string>() switch
            {
                "PhoneNumber" => IndicatorTypes.Phone,
                "Email" => IndicatorTypes.Email,
                "URL" => IndicatorTypes.Url,
                "InternationalBankingAccountNumber" => IndicatorTypes.Iban,
                _ => null,
            };
            if (type is not null && entity!["text"]?.GetValue<string>() is { } text && extractor.Normalize(type, text) is { } value)
            {
                indicators.Add(new Indicator(type, value));
            }
        }

        var found = new List<ItemEntity>();
        foreach (var entity in Document(entities, id)?["entities"]?.AsArray() ?? [])
        {
            var category = entity?["category"]?.GetValue<string>() switch
            {
                "Location" => "location",
                "Organization" => "organization",
                _ => null,
            };
            if (category is not null && entity!["text"]?.GetValue<string>() is { Length: > 0 and <= 200 } text)
            {
                found.Add(new ItemEntity(category, text));
            }
        }

        var language = Document(languages, id)?["detectedLanguage"]?["iso6391Name"]?.GetValue<string>();
        return new Enrichment([.. indicators.Distinct()], [.. found.Distinct()], language is { Length: > 0 and <= 35 } && language != "(Unknown)" ? language : null);
    }

    /// <summary>One request; null when the circuit is open or the request failed after its retries.</summary>
    private async Task<JsonNode?> AnalyseAsync(string kind, JsonArray documents, CancellationToken cancellationToken)
    {
        if (!Available)
        {
            return null;
        }

        var body = new JsonObject
        {
            ["kind"] = kind,
            ["parameters"] = new JsonObject { ["modelVersion"] = "latest" },
            ["analysisInput"] = new JsonObject { ["documents"] = documents.DeepClone() },
        };
        using var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Post;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("Content-Type", "application/json");
        message.Request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        try
        {
            await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var status = message.Response.Status;
            if (status is >= 200 and < 300)
            {
                Succeeded();
                return JsonNode.Parse(message.Response.Content.ToString());
            }

            Failed($"{kind} answered {status}");
        }
        catch (Exception e) when (e is RequestFailedException or JsonException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Failed($"{kind} failed: {e.GetType().Name}");
        }

        return null;
    }

    private void Succeeded()
    {
        lock (gate)
        {
            failures = 0;
        }
    }

    private void Failed(string what)
    {
        lock (gate)
        {
            failures++;
            if (failures >= options.BreakerFailures)
            {
                openUntil = time.GetUtcNow().AddSeconds(options.BreakerSeconds);
                failures = 0;
                logger.LogWarning("Azure AI Language: {What}; circuit open for {Seconds} s, items go on without entities", what, options.BreakerSeconds);
                return;
            }
        }

        logger.LogWarning("Azure AI Language: {What}", what);
    }
}
